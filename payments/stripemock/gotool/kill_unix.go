//go:build unix

package gotool

import (
	"os/exec"
	"syscall"
)

// KillGroup kills the whole process group: "go tool" and the tool.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
