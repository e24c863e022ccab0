//go:build unix

package main

import "syscall"

// restrictUmask makes the files and directories the process creates its
// user's only (0600, 0700), whatever mode a library asks for.
func restrictUmask() { syscall.Umask(0o077) }
