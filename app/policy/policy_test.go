package policy

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"howett.net/plist"
)

// fakeSource is a source with fixed values.
type fakeSource struct {
	name string
	v    Values
	err  error
}

func (f fakeSource) Name() string          { return f.name }
func (f fakeSource) Read() (Values, error) { return f.v, f.err }

func top(m map[string]any) fakeSource { return fakeSource{name: "fake", v: Values{Top: m}} }

// codes lists the problems as "key:code".
func codes(ps []Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Key+":"+p.Code)
	}
	return out
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefaults(t *testing.T) {
	p := Load()
	want := Defaults()
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("Load() = %+v, want %+v", p, want)
	}
	if p.Language.Value != LanguageSystem || p.LogLevel.Value != LogInfo || p.CacheRetentionDays.Value != 0 {
		t.Errorf("built-in defaults = %+v", p)
	}
}

// TestContractExample loads the example of the deployment guide from a
// real file.
func TestContractExample(t *testing.T) {
	path := writeFile(t, "policy.json", `{"ServerURL": "https://chat.example.com", "LockServerURL": true,
		"AllowedServers": ["chat.example.com"], "DisableUpdateCheck": true, "Recommended": {"Language": "zh-CN"}}`)
	p := Load(JSONFile{Path: path})
	if len(p.Problems) != 0 {
		t.Fatalf("problems: %v", p.Problems)
	}
	want := &Policy{
		ServerURL:          StringSetting{Value: "https://chat.example.com", Locked: true, Source: path},
		LockServerURL:      BoolSetting{Value: true, Locked: true, Source: path},
		AllowedServers:     ListSetting{Value: []string{"chat.example.com"}, Locked: true, Source: path},
		DisableUpdateCheck: BoolSetting{Value: true, Locked: true, Source: path},
		Language:           StringSetting{Value: "zh-CN", Source: path},
		LogLevel:           StringSetting{Value: LogInfo},
		Problems:           []Problem{},
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("Load = %+v\nwant %+v", p, want)
	}
}

func TestPrecedence(t *testing.T) {
	machine := fakeSource{name: "machine", v: Values{
		Top:         map[string]any{"LogLevel": "warn"},
		Recommended: map[string]any{"Language": "en", "CacheRetentionDays": int64(30)},
	}}
	user := fakeSource{name: "user", v: Values{
		Top:         map[string]any{"LogLevel": "debug", "CacheRetentionDays": int64(7), "ServerURL": "https://user.example.com"},
		Recommended: map[string]any{"Language": "zh-CN", "ServerURL": "https://rec.example.com", "DisableUpdateCheck": true},
	}}
	file := fakeSource{name: "file", v: Values{Top: map[string]any{
		"ServerURL": "https://file.example.com", "LockServerURL": true, "DisableUpdateCheck": false,
	}}}
	p := Load(machine, user, file)
	if len(p.Problems) != 0 {
		t.Fatalf("problems: %v", p.Problems)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		// A higher source's enforced value wins.
		{"LogLevel", p.LogLevel, StringSetting{Value: "warn", Locked: true, Source: "machine"}},
		// An enforced value of a lower source wins over a recommended one of a higher.
		{"CacheRetentionDays", p.CacheRetentionDays, IntSetting{Value: 7, Locked: true, Source: "user"}},
		{"DisableUpdateCheck", p.DisableUpdateCheck, BoolSetting{Value: false, Locked: true, Source: "file"}},
		// Recommended: the highest source's.
		{"Language", p.Language, StringSetting{Value: "en", Source: "machine"}},
		// The lock is enforced, so the highest top-level ServerURL is locked.
		{"ServerURL", p.ServerURL, StringSetting{Value: "https://user.example.com", Locked: true, Source: "user"}},
		{"LockServerURL", p.LockServerURL, BoolSetting{Value: true, Locked: true, Source: "file"}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
}

func TestServerURLLayers(t *testing.T) {
	tests := []struct {
		name    string
		sources []Source
		want    StringSetting
		codes   []string
	}{
		{"top level without lock is a default",
			[]Source{top(map[string]any{"ServerURL": "https://a.example.com"})},
			StringSetting{Value: "https://a.example.com", Source: "fake"}, []string{}},
		{"lock false is a default",
			[]Source{top(map[string]any{"ServerURL": "https://a.example.com/", "LockServerURL": false})},
			StringSetting{Value: "https://a.example.com", Source: "fake"}, []string{}},
		{"locked",
			[]Source{top(map[string]any{"ServerURL": "https://a.example.com", "LockServerURL": true})},
			StringSetting{Value: "https://a.example.com", Locked: true, Source: "fake"}, []string{}},
		{"recommended",
			[]Source{fakeSource{name: "r", v: Values{Recommended: map[string]any{"ServerURL": "http://10.0.0.5:8080"}}}},
			StringSetting{Value: "http://10.0.0.5:8080", Source: "r"}, []string{}},
		{"a recommended URL is not locked",
			[]Source{fakeSource{name: "r", v: Values{Top: map[string]any{"LockServerURL": true},
				Recommended: map[string]any{"ServerURL": "https://r.example.com"}}}},
			StringSetting{Value: "https://r.example.com", Source: "r"}, []string{"LockServerURL:no_effect"}},
		{"locked to a server not allowed",
			[]Source{top(map[string]any{"ServerURL": "https://a.example.com", "LockServerURL": true,
				"AllowedServers": []any{"b.example.com"}})},
			StringSetting{Value: "https://a.example.com", Locked: true, Source: "fake"}, []string{"ServerURL:conflict"}},
		{"a bad URL falls back to the next source",
			[]Source{top(map[string]any{"ServerURL": "ftp://a.example.com"}),
				fakeSource{name: "lower", v: Values{Top: map[string]any{"ServerURL": "https://b.example.com"}}}},
			StringSetting{Value: "https://b.example.com", Source: "lower"}, []string{"ServerURL:bad_url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Load(tt.sources...)
			if p.ServerURL != tt.want {
				t.Errorf("ServerURL = %+v, want %+v", p.ServerURL, tt.want)
			}
			if got := codes(p.Problems); !slices.Equal(got, tt.codes) {
				t.Errorf("problems = %v, want %v", got, tt.codes)
			}
		})
	}
}

// TestInvalidValues checks that each bad value is reported, naming its
// key, and ignored, leaving the built-in default or a lower source's value.
func TestInvalidValues(t *testing.T) {
	tests := []struct {
		name  string
		top   map[string]any
		code  string
		check func(*Policy) bool
	}{
		{"bool as string", map[string]any{"DisableUpdateCheck": "yes"}, CodeWrongType,
			func(p *Policy) bool { return p.DisableUpdateCheck == BoolSetting{} }},
		{"bool as number", map[string]any{"LockServerURL": int64(1)}, CodeWrongType,
			func(p *Policy) bool { return p.LockServerURL == BoolSetting{} }},
		{"days as string", map[string]any{"CacheRetentionDays": "30"}, CodeWrongType,
			func(p *Policy) bool { return p.CacheRetentionDays == IntSetting{} }},
		{"days fraction", map[string]any{"CacheRetentionDays": 1.5}, CodeWrongType,
			func(p *Policy) bool { return p.CacheRetentionDays == IntSetting{} }},
		{"days zero", map[string]any{"CacheRetentionDays": int64(0)}, CodeOutOfRange,
			func(p *Policy) bool { return p.CacheRetentionDays == IntSetting{} }},
		{"days too many", map[string]any{"CacheRetentionDays": int64(3651)}, CodeOutOfRange,
			func(p *Policy) bool { return p.CacheRetentionDays == IntSetting{} }},
		{"days negative", map[string]any{"CacheRetentionDays": int64(-1)}, CodeOutOfRange,
			func(p *Policy) bool { return p.CacheRetentionDays == IntSetting{} }},
		{"language unknown", map[string]any{"Language": "fr"}, CodeUnknownValue,
			func(p *Policy) bool { return p.Language == StringSetting{Value: LanguageSystem} }},
		{"language wrong type", map[string]any{"Language": true}, CodeWrongType,
			func(p *Policy) bool { return p.Language == StringSetting{Value: LanguageSystem} }},
		{"log level unknown", map[string]any{"LogLevel": "verbose"}, CodeUnknownValue,
			func(p *Policy) bool { return p.LogLevel == StringSetting{Value: LogInfo} }},
		{"server not http", map[string]any{"ServerURL": "ws://chat.example.com"}, CodeBadURL,
			func(p *Policy) bool { return p.ServerURL == StringSetting{} }},
		{"server without scheme", map[string]any{"ServerURL": "chat.example.com"}, CodeBadURL,
			func(p *Policy) bool { return p.ServerURL == StringSetting{} }},
		{"server with password", map[string]any{"ServerURL": "https://u:p@chat.example.com"}, CodeBadURL,
			func(p *Policy) bool { return p.ServerURL == StringSetting{} }},
		{"server bad port", map[string]any{"ServerURL": "https://chat.example.com:99999"}, CodeBadURL,
			func(p *Policy) bool { return p.ServerURL == StringSetting{} }},
		{"server number", map[string]any{"ServerURL": int64(1)}, CodeWrongType,
			func(p *Policy) bool { return p.ServerURL == StringSetting{} }},
		{"allowed not a list", map[string]any{"AllowedServers": "chat.example.com"}, CodeWrongType,
			func(p *Policy) bool { return len(p.AllowedServers.Value) == 0 && !p.AllowedServers.Locked }},
		{"allowed all bad", map[string]any{"AllowedServers": []any{"bad host", int64(3)}}, CodeBadURL,
			func(p *Policy) bool { return len(p.AllowedServers.Value) == 0 && !p.AllowedServers.Locked }},
		// The valid entries keep restricting sign-in.
		{"allowed some bad", map[string]any{"AllowedServers": []any{"ftp://x.example.com", "ok.example.com"}}, CodeBadURL,
			func(p *Policy) bool {
				return slices.Equal(p.AllowedServers.Value, []string{"ok.example.com"}) && p.AllowedServers.Locked
			}},
		{"unknown key", map[string]any{"Colour": "blue"}, CodeUnknownKey, func(*Policy) bool { return true }},
		{"key in the wrong case", map[string]any{"serverurl": "https://chat.example.com"}, CodeUnknownKey,
			func(p *Policy) bool { return p.ServerURL == StringSetting{} }},
		{"recommended not a dictionary", map[string]any{"Recommended": []any{"x"}}, CodeWrongType,
			func(*Policy) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Load(top(tt.top))
			if len(p.Problems) != 1 {
				t.Fatalf("problems = %v, want one %s", p.Problems, tt.code)
			}
			pr := p.Problems[0]
			var key string
			for k := range tt.top {
				key = k
			}
			if pr.Code != tt.code || pr.Key != key || pr.Source != "fake" || pr.Message == "" {
				t.Errorf("problem = %+v, want code %s on %s", pr, tt.code, key)
			}
			wantSeverity := SeverityError
			if tt.code == CodeUnknownKey {
				wantSeverity = SeverityWarning
			}
			if pr.Severity != wantSeverity {
				t.Errorf("severity = %s, want %s", pr.Severity, wantSeverity)
			}
			if !tt.check(p) {
				t.Errorf("policy after %s = %+v", tt.name, p)
			}
		})
	}
}

func TestRecommendedProblems(t *testing.T) {
	p := Load(fakeSource{name: "s", v: Values{Recommended: map[string]any{
		"LockServerURL": true, "AllowedServers": []any{"a.example.com"}, "LogLevel": "loud", "Language": "EN",
	}}})
	want := []string{"Recommended.AllowedServers:no_effect", "Recommended.LockServerURL:no_effect", "Recommended.LogLevel:unknown_value"}
	if got := codes(p.Problems); !slices.Equal(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	if p.LockServerURL.Value || p.AllowedServers.Locked || len(p.AllowedServers.Value) != 0 {
		t.Errorf("recommended lock or allow-list took effect: %+v", p)
	}
	// Values are matched without regard to case and spelled canonically.
	if p.Language != (StringSetting{Value: "en", Source: "s"}) {
		t.Errorf("Language = %+v", p.Language)
	}
}

// TestBadSource checks that a source that cannot be parsed or read is
// ignored as a whole, reported, and does not hide the sources below it.
func TestBadSource(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		src  Source
		code string
	}{
		{"bad JSON", JSONFile{Path: writeFile(t, "a.json", `{"LogLevel": "debug",}`)}, CodeMalformed},
		{"empty JSON", JSONFile{Path: writeFile(t, "b.json", ``)}, CodeMalformed},
		{"JSON list", JSONFile{Path: writeFile(t, "c.json", `["LogLevel"]`)}, CodeMalformed},
		{"two JSON values", JSONFile{Path: writeFile(t, "d.json", `{} {}`)}, CodeMalformed},
		{"bad plist", PlistFile{Path: writeFile(t, "e.plist", `<?xml version="1.0"?><plist><dict><key>LogLevel</key>`)}, CodeMalformed},
		{"plist string", PlistFile{Path: writeFile(t, "f.plist", `<?xml version="1.0"?><plist version="1.0"><string>x</string></plist>`)}, CodeMalformed},
		{"a directory", JSONFile{Path: dir}, CodeUnreadable},
		{"a failing source", fakeSource{name: "x", err: errors.New("access denied")}, CodeUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lower := fakeSource{name: "lower", v: Values{Top: map[string]any{"LogLevel": "error"}}}
			p := Load(tt.src, lower)
			if got := codes(p.Problems); !slices.Equal(got, []string{":" + tt.code}) {
				t.Fatalf("problems = %v, want %s", p.Problems, tt.code)
			}
			if p.Problems[0].Source != tt.src.Name() {
				t.Errorf("problem source = %q, want %q", p.Problems[0].Source, tt.src.Name())
			}
			if p.LogLevel != (StringSetting{Value: "error", Locked: true, Source: "lower"}) {
				t.Errorf("LogLevel = %+v, want the lower source's", p.LogLevel)
			}
		})
	}
}

func TestMissingFiles(t *testing.T) {
	dir := t.TempDir()
	p := Load(JSONFile{Path: filepath.Join(dir, "none.json")}, PlistFile{Path: filepath.Join(dir, "none.plist")})
	if !reflect.DeepEqual(p, Defaults()) {
		t.Fatalf("Load(missing files) = %+v, want the defaults", p)
	}
}

func TestJSONByteOrderMark(t *testing.T) {
	p := Load(JSONFile{Path: writeFile(t, "p.json", "\uFEFF{\"CacheRetentionDays\": 90}")})
	if len(p.Problems) != 0 || p.CacheRetentionDays.Value != 90 || !p.CacheRetentionDays.Locked {
		t.Fatalf("Load = %+v", p)
	}
}

const xmlPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>PayloadUUID</key>
	<string>5A1C3E0E-0000-0000-0000-000000000000</string>
	<key>ServerURL</key>
	<string>https://chat.example.com</string>
	<key>LockServerURL</key>
	<true/>
	<key>AllowedServers</key>
	<array>
		<string>chat.example.com</string>
		<string>*.example.org</string>
	</array>
	<key>CacheRetentionDays</key>
	<integer>30</integer>
	<key>LogLevel</key>
	<integer>2</integer>
	<key>Recommended</key>
	<dict>
		<key>Language</key>
		<string>zh-CN</string>
		<key>DisableUpdateCheck</key>
		<true/>
	</dict>
</dict>
</plist>`

func TestPlist(t *testing.T) {
	check := func(t *testing.T, path string) {
		p := Load(PlistFile{Path: path})
		if got := codes(p.Problems); !slices.Equal(got, []string{"LogLevel:wrong_type"}) {
			t.Errorf("problems = %v", p.Problems)
		}
		want := &Policy{
			ServerURL:          StringSetting{Value: "https://chat.example.com", Locked: true, Source: path},
			LockServerURL:      BoolSetting{Value: true, Locked: true, Source: path},
			AllowedServers:     ListSetting{Value: []string{"chat.example.com", "*.example.org"}, Locked: true, Source: path},
			DisableUpdateCheck: BoolSetting{Value: true, Source: path},
			Language:           StringSetting{Value: "zh-CN", Source: path},
			CacheRetentionDays: IntSetting{Value: 30, Locked: true, Source: path},
			LogLevel:           StringSetting{Value: LogInfo},
		}
		p.Problems = nil
		if !reflect.DeepEqual(p, want) {
			t.Errorf("Load = %+v\nwant %+v", p, want)
		}
	}
	t.Run("xml", func(t *testing.T) { check(t, writeFile(t, "dev.switchboard.desktop.plist", xmlPlist)) })
	t.Run("binary", func(t *testing.T) {
		var v any
		if _, err := plist.Unmarshal([]byte(xmlPlist), &v); err != nil {
			t.Fatal(err)
		}
		b, err := plist.Marshal(v, plist.BinaryFormat)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "bplist") {
			t.Fatalf("not a binary plist: %q", b[:8])
		}
		check(t, writeFile(t, "dev.switchboard.desktop.plist", string(b)))
	})
}

func TestRegistry(t *testing.T) {
	k := RegKey{
		Values: []RegValue{
			{Name: "", Type: RegSZ, Str: "default value"},
			{Name: "serverurl", Type: RegSZ, Str: "https://chat.example.com"},
			{Name: "LockServerURL", Type: RegDWORD, Num: 1},
			{Name: "DisableUpdateCheck", Type: RegSZ, Str: "true"},
			{Name: "CacheRetentionDays", Type: RegDWORD, Num: 14},
			{Name: "LogLevel", Type: RegBinary},
			{Name: "AllowedServers", Type: RegMultiSZ, Strs: []string{"ignored.example.com"}},
		},
		AllowedServers: &RegKey{Values: []RegValue{
			{Name: "10", Type: RegSZ, Str: "ten.example.com"},
			{Name: "2", Type: RegSZ, Str: "two.example.com"},
			{Name: "1", Type: RegSZ, Str: "https://one.example.com"},
			{Name: "3", Type: RegDWORD, Num: 3},
		}},
		Recommended: &RegKey{
			Values: []RegValue{
				{Name: "Language", Type: RegSZ, Str: "zh-CN"},
				{Name: "LogLevel", Type: RegSZ, Str: "debug"},
				{Name: "CacheRetentionDays", Type: RegSZ, Str: "60"},
			},
		},
	}
	const src = `HKLM\Software\Policies\Switchboard`
	p := Load(fakeSource{name: src, v: ConvertRegistry(src, k)})
	want := []string{`LogLevel:wrong_type`, `AllowedServers\3:wrong_type`, `AllowedServers:conflict`, `ServerURL:conflict`}
	if got := codes(p.Problems); !slices.Equal(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	wantPolicy := &Policy{
		ServerURL:          StringSetting{Value: "https://chat.example.com", Locked: true, Source: src},
		LockServerURL:      BoolSetting{Value: true, Locked: true, Source: src},
		AllowedServers:     ListSetting{Value: []string{"https://one.example.com:443", "two.example.com", "ten.example.com"}, Locked: true, Source: src},
		DisableUpdateCheck: BoolSetting{Value: true, Locked: true, Source: src},
		Language:           StringSetting{Value: "zh-CN", Source: src},
		CacheRetentionDays: IntSetting{Value: 14, Locked: true, Source: src},
		LogLevel:           StringSetting{Value: "debug", Source: src},
	}
	p.Problems = nil
	if !reflect.DeepEqual(p, wantPolicy) {
		t.Errorf("Load = %+v\nwant %+v", p, wantPolicy)
	}
}

func TestRegistryValueTypes(t *testing.T) {
	tests := []struct {
		name string
		v    RegValue
		want any // nil: a problem
	}{
		{"dword 0 bool", RegValue{Name: "LockServerURL", Type: RegDWORD, Num: 0}, false},
		{"dword 2 bool", RegValue{Name: "LockServerURL", Type: RegDWORD, Num: 2}, nil},
		{"sz 1 bool", RegValue{Name: "DisableUpdateCheck", Type: RegSZ, Str: "1"}, true},
		{"sz FALSE bool", RegValue{Name: "DisableUpdateCheck", Type: RegSZ, Str: "FALSE"}, false},
		{"sz yes bool", RegValue{Name: "DisableUpdateCheck", Type: RegSZ, Str: "yes"}, nil},
		{"qword days", RegValue{Name: "CacheRetentionDays", Type: RegQWORD, Num: 365}, 365},
		{"sz days", RegValue{Name: "CacheRetentionDays", Type: RegSZ, Str: " 7 "}, 7},
		{"sz days bad", RegValue{Name: "CacheRetentionDays", Type: RegSZ, Str: "week"}, nil},
		{"expand sz", RegValue{Name: "Language", Type: RegExpandSZ, Str: "en"}, "en"},
		{"multi sz list", RegValue{Name: "AllowedServers", Type: RegMultiSZ, Strs: []string{"a.example.com", "*.b.example.com"}},
			[]string{"a.example.com", "*.b.example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const src = "reg"
			p := Load(fakeSource{name: src, v: ConvertRegistry(src, RegKey{Values: []RegValue{tt.v}})})
			var got any
			switch tt.v.Name {
			case KeyLockServerURL:
				got = p.LockServerURL
			case KeyDisableUpdateCheck:
				got = p.DisableUpdateCheck
			case KeyCacheRetentionDays:
				got = p.CacheRetentionDays
			case KeyLanguage:
				got = p.Language
			case KeyAllowedServers:
				got = p.AllowedServers
			}
			if tt.want == nil {
				if len(p.Problems) != 1 || p.Problems[0].Key != tt.v.Name {
					t.Errorf("problems = %v, want one on %s", p.Problems, tt.v.Name)
				}
				return
			}
			if len(p.Problems) != 0 {
				t.Fatalf("problems = %v", p.Problems)
			}
			var want any
			switch w := tt.want.(type) {
			case bool:
				want = BoolSetting{Value: w, Locked: true, Source: src}
			case int:
				want = IntSetting{Value: w, Locked: true, Source: src}
			case string:
				want = StringSetting{Value: w, Locked: true, Source: src}
			case []string:
				want = ListSetting{Value: w, Locked: true, Source: src}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s = %+v, want %+v", tt.v.Name, got, want)
			}
		})
	}
}

func TestServerAllowed(t *testing.T) {
	allowed := []string{"chat.example.com", "*.corp.example.org", "https://secure.example.net", "http://10.0.0.5:8080", "dev.example.com:9000"}
	tests := []struct {
		url  string
		want bool
	}{
		{"https://chat.example.com", true},
		{"http://chat.example.com:8080", true},
		{"https://CHAT.example.com.", true},
		{"https://evil-chat.example.com", false},
		{"https://chat.example.com.evil.com", false},
		{"https://a.corp.example.org", true},
		{"https://a.b.corp.example.org", true},
		{"https://corp.example.org", false},
		{"https://xcorp.example.org", false},
		{"https://secure.example.net", true},
		{"https://secure.example.net:443/path", true},
		{"http://secure.example.net", false},
		{"https://secure.example.net:8443", false},
		{"http://10.0.0.5:8080", true},
		{"http://10.0.0.5", false},
		{"https://dev.example.com:9000", true},
		{"https://dev.example.com", false},
		{"not a url", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ServerAllowed(allowed, tt.url); got != tt.want {
			t.Errorf("ServerAllowed(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
	if !ServerAllowed(nil, "https://anything.example") {
		t.Error("an empty list must allow any server")
	}
}

func TestPatterns(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for invalid
	}{
		{"Chat.Example.com", "chat.example.com"},
		{"https://chat.example.com/", "https://chat.example.com:443"},
		{"http://chat.example.com:8080/switchboard", "http://chat.example.com:8080"},
		{"*.example.com", "*.example.com"},
		{"[::1]:8080", "[::1]:8080"},
		{"::1", "[::1]"},
		{"10.0.0.5", "10.0.0.5"},
		{"*", ""},
		{"*.10.0.0.5", ""},
		{"chat example.com", ""},
		{"ftp://chat.example.com", ""},
		{"https://user@chat.example.com", ""},
		{"chat.example.com/path", ""},
		{"chat.example.com:0", ""},
		{"-bad.example.com", ""},
		{"", ""},
	}
	for _, tt := range tests {
		p, err := parsePattern(tt.in)
		got := ""
		if err == nil {
			got = p.String()
		}
		if got != tt.want {
			t.Errorf("parsePattern(%q) = %q (%v), want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestFilePathEnv(t *testing.T) {
	t.Setenv(EnvFile, "/tmp/x/policy.json")
	if got := FilePath(); got != "/tmp/x/policy.json" {
		t.Errorf("FilePath() = %q", got)
	}
	srcs := SystemSources()
	last := srcs[len(srcs)-1]
	if last.Name() != "/tmp/x/policy.json" {
		t.Errorf("last source = %q, want the env file", last.Name())
	}
}

// FuzzParseJSON checks that no policy.json, however wrong, panics or yields
// a setting outside its range.
func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"ServerURL": "https://chat.example.com", "LockServerURL": true, "AllowedServers": ["chat.example.com"], "DisableUpdateCheck": true, "Recommended": {"Language": "zh-CN"}}`))
	f.Add([]byte(`{"CacheRetentionDays": 1e3, "LogLevel": "WARN", "AllowedServers": ["*.a.b", 3, null]}`))
	f.Add([]byte(`{"Recommended": {"Recommended": {}, "ServerURL": "http://[::1]:80/"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParseJSON(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseJSON error %v is not ErrMalformed", err)
			}
			return
		}
		p := Load(fakeSource{name: "f", v: v})
		if n := p.CacheRetentionDays.Value; n != 0 && (n < MinRetentionDays || n > MaxRetentionDays) {
			t.Fatalf("CacheRetentionDays = %d", n)
		}
		if !slices.Contains([]string{LanguageEnglish, LanguageChinese, LanguageSystem}, p.Language.Value) {
			t.Fatalf("Language = %q", p.Language.Value)
		}
		if !slices.Contains([]string{LogDebug, LogInfo, LogWarn, LogError}, p.LogLevel.Value) {
			t.Fatalf("LogLevel = %q", p.LogLevel.Value)
		}
		if p.ServerURL.Value != "" {
			if _, err := ParseServerURL(p.ServerURL.Value); err != nil {
				t.Fatalf("ServerURL %q: %v", p.ServerURL.Value, err)
			}
		}
		for _, a := range p.AllowedServers.Value {
			if _, err := parsePattern(a); err != nil {
				t.Fatalf("AllowedServers entry %q: %v", a, err)
			}
		}
		for _, pr := range p.Problems {
			if pr.Code == "" || pr.Message == "" || pr.Source != "f" {
				t.Fatalf("problem %+v", pr)
			}
		}
	})
}
