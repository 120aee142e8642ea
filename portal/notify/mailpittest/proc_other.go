//go:build !unix

package mailpittest

import "os/exec"

func ownGroup(*exec.Cmd) {}

// killGroup kills "go tool"; without process groups its child may survive.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
