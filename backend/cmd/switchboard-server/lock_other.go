//go:build !unix

package main

import "os"

// lockFile does nothing where flock is missing (Windows): the server runs
// on Linux in production; elsewhere stop the server before a restore by hand.
func lockFile(*os.File) error { return nil }
