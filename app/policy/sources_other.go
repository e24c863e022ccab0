//go:build !windows && !darwin

package policy

// SystemSources returns this OS's sources: policy.json.
func SystemSources() []Source {
	return []Source{JSONFile{Path: FilePath()}}
}

func defaultFilePath() string { return "/etc/switchboard/policy.json" }
