package policy

import (
	"os/user"
	"path/filepath"
)

// Domain is the app's managed preferences domain.
const Domain = "dev.switchboard.desktop"

// managedDir is where macOS puts the preferences configuration profiles
// manage: the machine's at the top, each user's in a folder of their name.
const managedDir = "/Library/Managed Preferences"

// SystemSources returns this OS's sources, highest first: the machine's
// managed preferences, the user's, then policy.json.
func SystemSources() []Source {
	srcs := []Source{PlistFile{Path: filepath.Join(managedDir, Domain+".plist")}}
	if u, err := user.Current(); err == nil && u.Username != "" {
		srcs = append(srcs, PlistFile{Path: filepath.Join(managedDir, u.Username, Domain+".plist")})
	}
	return append(srcs, JSONFile{Path: FilePath()})
}

func defaultFilePath() string {
	return "/Library/Application Support/Switchboard/policy.json"
}
