package policy

import "os"

// EnvFile names an environment variable that, when set, replaces the path
// of the system-wide policy.json.
const EnvFile = "SWITCHBOARD_POLICY_FILE"

// FilePath returns the system-wide policy.json: $SWITCHBOARD_POLICY_FILE,
// else the OS's place for it.
func FilePath() string {
	if p := os.Getenv(EnvFile); p != "" {
		return p
	}
	return defaultFilePath()
}
