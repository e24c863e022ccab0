package policy

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows/registry"
)

// RegistryPath is the policy key under HKLM and HKCU.
const RegistryPath = `Software\Policies\Switchboard`

// SystemSources returns this OS's sources, highest first: the machine's
// policy key, the user's, then policy.json.
func SystemSources() []Source {
	return []Source{
		Registry{Root: registry.LOCAL_MACHINE, RootName: "HKLM", Path: RegistryPath},
		Registry{Root: registry.CURRENT_USER, RootName: "HKCU", Path: RegistryPath},
		JSONFile{Path: FilePath()},
	}
}

func defaultFilePath() string {
	dir := os.Getenv("ProgramData")
	if dir == "" {
		dir = `C:\ProgramData`
	}
	return filepath.Join(dir, "Switchboard", "policy.json")
}
