//go:build !linux

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "measure: runs on Linux only (it reads /proc)")
	os.Exit(1)
}
