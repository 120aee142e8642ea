//go:build !race

package web_test

// raceEnabled tells tests that the race detector slows them down.
const raceEnabled = false
