// Package buildinfo holds the version stamped into every Switchboard binary at
// build time (-ldflags "-X switchboard/internal/buildinfo.Version=1.2.3"); the
// server and the desktop app both report it.
package buildinfo

// Version is the release version from the VERSION file; "dev" for plain go builds.
var Version = "dev"
