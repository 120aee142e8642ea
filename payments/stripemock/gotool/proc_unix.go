//go:build unix && !linux

package gotool

import (
	"os/exec"
	"syscall"
)

// OwnGroup runs the command in its own process group, so that stopping it
// also stops the tool binary (stripe-mock, mailpit) that "go tool" starts as its child.
func OwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
