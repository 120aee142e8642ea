//go:build unix

package mailpittest

import (
	"os/exec"
	"syscall"
)

// killGroup kills the whole process group: "go tool" and mailpit.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
