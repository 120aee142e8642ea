//go:build !unix

package gotool

import "os/exec"

// OwnGroup does nothing where process groups do not exist.
func OwnGroup(*exec.Cmd) {}

// KillGroup kills "go tool"; without process groups its child may survive.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
