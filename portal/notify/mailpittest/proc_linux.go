//go:build linux

package mailpittest

import (
	"os/exec"
	"syscall"
)

// ownGroup runs the command in its own process group, so that stopping it
// also stops the mailpit binary that "go tool" starts as its child, and
// asks the kernel to signal "go tool" if the test binary dies first (a test
// timeout skips t.Cleanup); "go tool" forwards the signal to mailpit.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
