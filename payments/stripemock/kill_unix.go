//go:build unix

package stripemock

import (
	"os/exec"
	"syscall"
)

// killGroup kills the whole process group: "go tool" and stripe-mock.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
