//go:build !unix

package main

// restrictUmask does nothing where there is no umask (Windows): files
// inherit the data directory's access list.
func restrictUmask() {}
