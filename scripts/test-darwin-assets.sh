#!/usr/bin/env bash
# The macOS packaging assets, checked on any machine (the build itself runs on
# a macOS runner, .github/workflows/macos.yml):
#   build/darwin/Info.plist, Info.dev.plist  rendered the way Wails v2 renders
#     them (Go text/template with wails.json's info), then loaded as plists
#     and their keys checked: bundle id, executable, version = VERSION,
#     microphone usage text, localizations present in build/darwin/*.lproj
#   build/darwin/*.lproj/InfoPlist.strings  plists with the microphone text
#   build/darwin/entitlements.plist          hardened-runtime entitlements:
#     the microphone, nothing that weakens the runtime
#   build/darwin/switchboard.mobileconfig    a configuration profile whose
#     managed preferences of dev.switchboard.desktop follow the policy
#     contract, and dev.switchboard.desktop.plist with the same settings
#   build/linux/policy.example.json          the same settings again; the
#     examples are also read by the app's own policy package (app/policy),
#     which must find no problem in them
#   .github/workflows/macos.yml              parses, and runs the steps the
#     release needs
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# render.go renders a build asset as Wails v2.16 does (pkg/buildassets
# resolveProjectData): text/template, the funcs xml and safeBundleID, and the
# data Name, Info (wails.json "info") and OutputFilename.
cat >"$work/render.go" <<'EOF'
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"text/template"
)

type info struct {
	CompanyName      string            `json:"companyName"`
	ProductName      string            `json:"productName"`
	ProductVersion   string            `json:"productVersion"`
	Copyright        *string           `json:"copyright"`
	Comments         *string           `json:"comments"`
	FileAssociations []json.RawMessage `json:"fileAssociations"`
	Protocols        []json.RawMessage `json:"protocols"`
}

type project struct {
	Name           string `json:"name"`
	OutputFilename string `json:"outputfilename"`
	Info           info   `json:"info"`
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	var p project
	check(json.Unmarshal(raw, &p))
	src, err := os.ReadFile(os.Args[2])
	check(err)
	nonAlphaNum := regexp.MustCompile(`[^A-Za-z0-9]+`)
	funcs := template.FuncMap{
		"xml": func(s string) string {
			var b bytes.Buffer
			template.HTMLEscape(&b, []byte(s))
			return b.String()
		},
		"safeBundleID": func(s string) string {
			return strings.Trim(strings.ToLower(nonAlphaNum.ReplaceAllString(s, "-")), "-")
		},
	}
	t, err := template.New("").Funcs(funcs).Option("missingkey=error").Parse(string(src))
	check(err)
	check(t.Execute(os.Stdout, struct {
		Name           string
		Info           info
		OutputFilename string
	}{p.Name, p.Info, p.OutputFilename}))
}

func check(err error) {
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}
EOF
for f in Info.plist Info.dev.plist; do
  (cd "$work" && GOFLAGS="" GO111MODULE=off go run render.go "$OLDPWD/wails.json" "$OLDPWD/build/darwin/$f") >"$work/$f"
done

python3 - "$work" <<'EOF'
import glob, json, os, plistlib, sys

work = sys.argv[1]
failed = []
def check(ok, what):
    if not ok:
        failed.append(what)

def load(path):
    with open(path, "rb") as f:
        return plistlib.load(f)

version = open("VERSION").read().strip()
wails = json.load(open("wails.json"))
check(wails["info"]["productVersion"] == version,
      f"wails.json productVersion {wails['info']['productVersion']} != VERSION {version} (make version V=...)")

# Info.plist and Info.dev.plist, as Wails renders them.
lprojs = sorted(os.path.basename(d)[:-len(".lproj")] for d in glob.glob("build/darwin/*.lproj"))
for name in ("Info.plist", "Info.dev.plist"):
    p = load(os.path.join(work, name))
    want = {
        "CFBundlePackageType": "APPL",
        "CFBundleIdentifier": "dev.switchboard.desktop",
        "CFBundleExecutable": wails["outputfilename"],
        "CFBundleName": "Switchboard",
        "CFBundleVersion": version,
        "CFBundleShortVersionString": version,
        "CFBundleIconFile": "iconfile",
        "CFBundleDevelopmentRegion": "en",
        "NSHighResolutionCapable": True,
    }
    for k, v in want.items():
        check(p.get(k) == v, f"{name}: {k} = {p.get(k)!r}, want {v!r}")
    check(isinstance(p.get("LSMinimumSystemVersion"), str), f"{name}: no LSMinimumSystemVersion")
    check(p.get("NSHumanReadableCopyright") == wails["info"]["copyright"],
          f"{name}: NSHumanReadableCopyright {p.get('NSHumanReadableCopyright')!r}")
    mic = p.get("NSMicrophoneUsageDescription", "")
    check(isinstance(mic, str) and "microphone" in mic, f"{name}: NSMicrophoneUsageDescription {mic!r}")
    check(sorted(p.get("CFBundleLocalizations", [])) == lprojs,
          f"{name}: CFBundleLocalizations {p.get('CFBundleLocalizations')} != the .lproj folders {lprojs}")
    ats = p.get("NSAppTransportSecurity", {})
    check(not ats.get("NSAllowsArbitraryLoads"), f"{name}: NSAllowsArbitraryLoads turns App Transport Security off")

# The localized microphone text, one per language.
check("en" in lprojs and "zh-Hans" in lprojs, f"localizations {lprojs}, want en and zh-Hans")
texts = {}
for lang in lprojs:
    s = load(f"build/darwin/{lang}.lproj/InfoPlist.strings")
    texts[lang] = s.get("NSMicrophoneUsageDescription", "")
    check(texts[lang], f"{lang}.lproj/InfoPlist.strings: no NSMicrophoneUsageDescription")
check(len(set(texts.values())) == len(texts), "InfoPlist.strings: the languages share a text")

# Hardened runtime entitlements: the microphone (WKWebView's getUserMedia for
# voice messages); no JIT or unsigned memory (WKWebView's JIT runs in
# WebKit's own process), no library validation or dyld exceptions.
e = load("build/darwin/entitlements.plist")
check(e.get("com.apple.security.device.audio-input") is True, "entitlements: no com.apple.security.device.audio-input")
for k in ("com.apple.security.cs.allow-jit", "com.apple.security.cs.allow-unsigned-executable-memory",
          "com.apple.security.cs.disable-library-validation", "com.apple.security.cs.allow-dyld-environment-variables",
          "com.apple.security.cs.disable-executable-page-protection", "com.apple.security.get-task-allow"):
    check(k not in e, f"entitlements: {k} weakens the hardened runtime")
if e.get("com.apple.security.app-sandbox"):
    for k in ("com.apple.security.network.client", "com.apple.security.files.user-selected.read-write"):
        check(e.get(k) is True, f"entitlements: sandboxed without {k}")

# The policy contract.
TYPES = {"ServerURL": str, "LockServerURL": bool, "AllowedServers": list, "DisableUpdateCheck": bool,
         "Language": str, "CacheRetentionDays": int, "LogLevel": str}
def check_policy(where, p, top=True):
    for k, v in p.items():
        if k == "Recommended" and top:
            check(isinstance(v, dict), f"{where}: Recommended is not a dict")
            check_policy(where + " Recommended", v, top=False)
            continue
        if k not in TYPES:
            check(False, f"{where}: unknown key {k}")
            continue
        check(isinstance(v, TYPES[k]) and not (TYPES[k] is int and isinstance(v, bool)),
              f"{where}: {k} = {v!r} is not a {TYPES[k].__name__}")
    if "Language" in p: check(p["Language"] in ("en", "zh-CN", "system"), f"{where}: Language {p['Language']!r}")
    if "LogLevel" in p: check(p["LogLevel"] in ("debug", "info", "warn", "error"), f"{where}: LogLevel {p['LogLevel']!r}")
    if "CacheRetentionDays" in p: check(1 <= p["CacheRetentionDays"] <= 3650, f"{where}: CacheRetentionDays out of 1..3650")
    if "ServerURL" in p: check(p["ServerURL"].startswith("https://"), f"{where}: ServerURL is not https")
    if "AllowedServers" in p: check(all(isinstance(s, str) and s for s in p["AllowedServers"]), f"{where}: AllowedServers")

m = load("build/darwin/switchboard.mobileconfig")
check(m.get("PayloadType") == "Configuration", "mobileconfig: PayloadType is not Configuration")
check(m.get("PayloadScope") == "System", "mobileconfig: PayloadScope is not System")
uuids = [m.get("PayloadUUID")]
for k in ("PayloadIdentifier", "PayloadDisplayName", "PayloadUUID", "PayloadVersion"):
    check(k in m, f"mobileconfig: no {k}")
payloads = [p for p in m.get("PayloadContent", []) if p.get("PayloadType") == "com.apple.ManagedClient.preferences"]
check(len(payloads) == 1, "mobileconfig: want one com.apple.ManagedClient.preferences payload")
settings = {}
for p in payloads:
    uuids.append(p.get("PayloadUUID"))
    for k in ("PayloadIdentifier", "PayloadUUID", "PayloadVersion"):
        check(k in p, f"mobileconfig payload: no {k}")
    check(p.get("PayloadIdentifier", "").startswith(m.get("PayloadIdentifier", "") + "."),
          "mobileconfig payload: PayloadIdentifier is not under the profile's")
    domains = p.get("PayloadContent", {})
    check(list(domains) == ["dev.switchboard.desktop"], f"mobileconfig: domains {list(domains)}")
    forced = domains.get("dev.switchboard.desktop", {}).get("Forced", [])
    check(len(forced) == 1 and "mcx_preference_settings" in forced[0], "mobileconfig: no Forced mcx_preference_settings")
    settings = forced[0].get("mcx_preference_settings", {}) if forced else {}
check(len(set(uuids)) == len(uuids) and all(uuids), "mobileconfig: PayloadUUIDs missing or shared")
check_policy("mobileconfig", settings)
for k in ("ServerURL", "LockServerURL", "AllowedServers", "DisableUpdateCheck"):
    check(k in settings, f"mobileconfig: no {k}")

bare = load("build/darwin/dev.switchboard.desktop.plist")
check_policy("dev.switchboard.desktop.plist", bare)
check(bare == settings, "dev.switchboard.desktop.plist differs from the mobileconfig's settings")
linux = json.load(open("build/linux/policy.example.json"))
check_policy("policy.example.json", linux)
check(linux == settings, "build/linux/policy.example.json differs from the mobileconfig's settings")

# The workflow.
try:
    import yaml
except ImportError:
    yaml = None
if yaml:
    wf = yaml.safe_load(open(".github/workflows/macos.yml"))
    job = next(iter(wf["jobs"].values()))
    check(job.get("runs-on") == "macos-14", f"macos.yml: runs-on {job.get('runs-on')}")
    text = "\n".join(str(s.get("run", "")) + str(s.get("uses", "")) + str(s.get("with", "")) for s in job["steps"])
    for want in ("go-version-file", "setup-node", "wails build -platform darwin/universal",
                 "buildinfo.Version", "security create-keychain", "security import",
                 "codesign --deep --force --options runtime --entitlements build/darwin/entitlements.plist --timestamp",
                 "hdiutil create", "notarytool submit", "--wait", "stapler staple", "spctl -a -vv",
                 "upload-artifact", "security delete-keychain"):
        check(want in text, f"macos.yml: no step with {want!r}")
else:
    print("python3 yaml is missing: .github/workflows/macos.yml not parsed")

if failed:
    print("\n".join("FAIL: " + f for f in failed))
    sys.exit(1)
EOF
# The examples as the app reads them: app/policy loads the managed
# preferences plist (what macOS writes from the profile) and policy.json,
# each on its own. The program is overlaid into the module, not written to it.
cat >"$work/policycheck.go" <<'EOF'
package main

import (
	"encoding/json"
	"os"
	"strings"

	"switchboard/app/policy"
)

func main() {
	out := map[string]*policy.Policy{}
	for _, arg := range os.Args[1:] {
		var src policy.Source = policy.JSONFile{Path: arg}
		if strings.HasSuffix(arg, ".plist") {
			src = policy.PlistFile{Path: arg}
		}
		out[arg] = policy.Load(src)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
EOF
printf '{"Replace":{"%s/build/darwin/policycheck/main.go":"%s/policycheck.go"}}' "$PWD" "$work" >"$work/overlay.json"
go run -overlay "$work/overlay.json" ./build/darwin/policycheck \
  build/darwin/dev.switchboard.desktop.plist build/linux/policy.example.json >"$work/policies.json"
python3 - "$work/policies.json" <<'EOF'
import json, sys
failed = []
for path, p in json.load(open(sys.argv[1])).items():
    for problem in p["problems"]:
        failed.append(f"{path}: app/policy: {problem}")
    want = {"ServerURL": ("https://chat.example.com", True), "LockServerURL": (True, True),
            "AllowedServers": (["chat.example.com", "*.chat.example.com"], True),
            "DisableUpdateCheck": (True, True), "LogLevel": ("info", True),
            "Language": ("zh-CN", False), "CacheRetentionDays": (90, False)}
    for k, (value, locked) in want.items():
        got = (p[k]["value"], p[k]["locked"])
        if got != (value, locked):
            failed.append(f"{path}: app/policy reads {k} as {got}, want {(value, locked)}")
if failed:
    print("\n".join("FAIL: " + f for f in failed))
    sys.exit(1)
EOF

echo "==> macOS assets OK (Info.plist, entitlements, InfoPlist.strings, mobileconfig, macos.yml)"
