//go:build unix && !linux

package mailpittest

import (
	"os/exec"
	"syscall"
)

// ownGroup runs the command in its own process group, so that stopping it
// also stops the mailpit binary that "go tool" starts as its child.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
