//go:build linux

package gotool

import (
	"os/exec"
	"syscall"
)

// OwnGroup runs the command in its own process group, so that stopping it
// also stops the tool binary (stripe-mock, mailpit) that "go tool" starts as its child, and
// asks the kernel to signal "go tool" if the test binary dies first (a test
// timeout skips t.Cleanup); "go tool" forwards the signal to the tool.
func OwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
