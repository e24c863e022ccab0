// Package policy reads the settings an administrator manages for the desktop
// app and merges them into one Policy.
//
// A source (the Windows registry, macOS managed preferences, a system-wide
// policy.json) holds the same keys in two layers: its top-level values are
// enforced (the user cannot change them), except ServerURL, which is a
// preset default unless LockServerURL is true; the values inside its
// Recommended layer are defaults the user may change. Sources are given
// highest first: an enforced value of a higher source wins over a lower
// one, and so does a default.
//
// A value that is invalid (wrong type, out of range, unknown value, bad URL)
// is reported as a Problem and ignored, so its setting falls back to the
// next source or the built-in default; a source that cannot be parsed is
// ignored as a whole and reported. Nothing here fails: a bad policy never
// keeps the app from starting.
package policy

import (
	"errors"
	"fmt"
	"sort"
)

// The setting keys, the same in every source.
const (
	KeyServerURL          = "ServerURL"
	KeyLockServerURL      = "LockServerURL"
	KeyAllowedServers     = "AllowedServers"
	KeyDisableUpdateCheck = "DisableUpdateCheck"
	KeyLanguage           = "Language"
	KeyCacheRetentionDays = "CacheRetentionDays"
	KeyLogLevel           = "LogLevel"
	// KeyRecommended holds a source's defaults.
	KeyRecommended = "Recommended"
)

// Keys lists the setting keys in documentation order.
var Keys = []string{
	KeyServerURL, KeyLockServerURL, KeyAllowedServers, KeyDisableUpdateCheck,
	KeyLanguage, KeyCacheRetentionDays, KeyLogLevel,
}

// The values of Language and LogLevel.
const (
	LanguageEnglish = "en"
	LanguageChinese = "zh-CN"
	LanguageSystem  = "system"

	LogDebug = "debug"
	LogInfo  = "info"
	LogWarn  = "warn"
	LogError = "error"
)

// Bounds of CacheRetentionDays.
const (
	MinRetentionDays = 1
	MaxRetentionDays = 3650
)

// Problem codes.
const (
	// CodeMalformed: the source does not parse; all of it is ignored.
	CodeMalformed = "malformed"
	// CodeUnreadable: the source exists but cannot be read; all of it is
	// ignored.
	CodeUnreadable = "unreadable"
	// CodeWrongType: a value of the wrong type (a string for a number…).
	CodeWrongType = "wrong_type"
	// CodeOutOfRange: a number outside its bounds.
	CodeOutOfRange = "out_of_range"
	// CodeUnknownValue: a string that is not one of the setting's values.
	CodeUnknownValue = "unknown_value"
	// CodeBadURL: a server address or allowed server that is not valid.
	CodeBadURL = "bad_url"
	// CodeUnknownKey: a key that is not a setting (a warning).
	CodeUnknownKey = "unknown_key"
	// CodeNoEffect: a valid value that does nothing where it is (a
	// warning), e.g. LockServerURL inside Recommended.
	CodeNoEffect = "no_effect"
	// CodeConflict: settings that contradict each other (a warning), e.g.
	// a locked ServerURL that AllowedServers does not allow.
	CodeConflict = "conflict"
)

// Problem severities.
const (
	// SeverityError: the value (or the whole source) is ignored.
	SeverityError = "error"
	// SeverityWarning: something has no effect; nothing valid is ignored.
	SeverityWarning = "warning"
)

// Problem is something wrong with a source, reported to the user and the log.
type Problem struct {
	// Source names where it is: a registry key or a file path.
	Source string `json:"source"`
	// Key is the setting ("CacheRetentionDays", "Recommended.Language");
	// empty when the whole source is concerned.
	Key      string `json:"key"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	// Message says what is wrong, in English, for the log and the admin.
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Key == "" {
		return fmt.Sprintf("%s: %s (%s)", p.Source, p.Message, p.Code)
	}
	return fmt.Sprintf("%s: %s: %s (%s)", p.Source, p.Key, p.Message, p.Code)
}

// StringSetting is a string setting as resolved: its value, whether it is
// enforced, and the source it came from ("" for the built-in default).
type StringSetting struct {
	Value  string `json:"value"`
	Locked bool   `json:"locked"`
	Source string `json:"source"`
}

// BoolSetting is a boolean setting as resolved (see StringSetting).
type BoolSetting struct {
	Value  bool   `json:"value"`
	Locked bool   `json:"locked"`
	Source string `json:"source"`
}

// IntSetting is a number setting as resolved (see StringSetting).
type IntSetting struct {
	Value  int    `json:"value"`
	Locked bool   `json:"locked"`
	Source string `json:"source"`
}

// ListSetting is a list setting as resolved (see StringSetting).
type ListSetting struct {
	Value  []string `json:"value"`
	Locked bool     `json:"locked"`
	Source string   `json:"source"`
}

// Policy is the merged policy. A setting no source sets holds its built-in
// default, unlocked, with an empty Source.
type Policy struct {
	// ServerURL is the server to sign in to; "" when no policy names one.
	ServerURL StringSetting `json:"ServerURL"`
	// LockServerURL is whether ServerURL is enforced.
	LockServerURL BoolSetting `json:"LockServerURL"`
	// AllowedServers are the servers the app may sign in to (URLs, host
	// names, *.example.com); empty allows any.
	AllowedServers     ListSetting `json:"AllowedServers"`
	DisableUpdateCheck BoolSetting `json:"DisableUpdateCheck"`
	// Language is en, zh-CN or system (follow the OS).
	Language StringSetting `json:"Language"`
	// CacheRetentionDays is how many days cached messages are kept; 0 (the
	// built-in default) keeps them.
	CacheRetentionDays IntSetting `json:"CacheRetentionDays"`
	// LogLevel is debug, info, warn or error.
	LogLevel StringSetting `json:"LogLevel"`
	// Problems found in the sources, in source order.
	Problems []Problem `json:"problems"`
}

// Defaults returns the built-in policy: nothing locked.
func Defaults() *Policy {
	return &Policy{
		AllowedServers: ListSetting{Value: []string{}},
		Language:       StringSetting{Value: LanguageSystem},
		LogLevel:       StringSetting{Value: LogInfo},
		Problems:       []Problem{},
	}
}

// Source is one place policy is read from.
type Source interface {
	// Name says where the source is, for problems and the UI: a registry
	// key or a file path.
	Name() string
	// Read returns the source's raw values. A source that does not exist
	// returns empty Values and no error; one that does not parse returns
	// an error wrapping ErrMalformed.
	Read() (Values, error)
}

// ErrMalformed marks a source that exists but does not parse.
var ErrMalformed = errors.New("malformed policy")

// Values are a source's raw values by key. A value is a string, bool,
// int64, uint64, float64, json.Number, []string, []any or map[string]any;
// each setting checks the type it needs.
type Values struct {
	// Top are the top-level values, Recommended the defaults.
	Top         map[string]any
	Recommended map[string]any
	// Problems are what the source found while converting its own format
	// (a registry value of a type no setting has).
	Problems []Problem
}

// Load reads the sources, highest first, and merges them.
func Load(sources ...Source) *Policy {
	layers := make([]layer, 0, len(sources))
	var problems []Problem
	for _, src := range sources {
		v, err := src.Read()
		if err != nil {
			code := CodeUnreadable
			if errors.Is(err, ErrMalformed) {
				code = CodeMalformed
			}
			problems = append(problems, Problem{Source: src.Name(), Code: code, Severity: SeverityError,
				Message: "ignored as a whole: " + err.Error()})
			continue
		}
		l, ps := parseLayer(src.Name(), v)
		problems = append(problems, ps...)
		layers = append(layers, l)
	}
	p := merge(layers)
	p.Problems = append(append([]Problem{}, problems...), p.Problems...)
	return p
}

// layer is a source's valid values by key.
type layer struct {
	name        string
	top         map[string]any
	recommended map[string]any
}

// parseLayer checks every value of a source and keeps the valid ones.
func parseLayer(name string, v Values) (layer, []Problem) {
	l := layer{name: name, top: map[string]any{}, recommended: map[string]any{}}
	problems := append([]Problem(nil), v.Problems...)
	for _, key := range sortedKeys(v.Top) {
		raw := v.Top[key]
		if key == KeyRecommended {
			// The JSON and plist sources leave Recommended in Top.
			m, ok := raw.(map[string]any)
			if !ok {
				problems = append(problems, Problem{Source: name, Key: key, Code: CodeWrongType, Severity: SeverityError,
					Message: fmt.Sprintf("must be a dictionary of settings, not %s", typeName(raw))})
				continue
			}
			if v.Recommended == nil {
				v.Recommended = m
			}
			continue
		}
		val, pr := check(key, raw)
		if pr != nil {
			pr.Source, pr.Key = name, key
			problems = append(problems, *pr)
		}
		if val != nil {
			l.top[key] = val
		}
	}
	for _, key := range sortedKeys(v.Recommended) {
		path := KeyRecommended + "." + key
		raw := v.Recommended[key]
		if key == KeyLockServerURL || key == KeyAllowedServers {
			// Only an enforced lock or allow-list means anything.
			problems = append(problems, Problem{Source: name, Key: path, Code: CodeNoEffect, Severity: SeverityWarning,
				Message: "has no effect as a recommendation; set it at the top level"})
			continue
		}
		if key == KeyRecommended {
			problems = append(problems, Problem{Source: name, Key: path, Code: CodeUnknownKey, Severity: SeverityWarning,
				Message: "Recommended cannot be nested"})
			continue
		}
		val, pr := check(key, raw)
		if pr != nil {
			pr.Source, pr.Key = name, path
			problems = append(problems, *pr)
		}
		if val != nil {
			l.recommended[key] = val
		}
	}
	return l, problems
}

// merge resolves each setting from valid layers, highest first.
func merge(layers []layer) *Policy {
	p := Defaults()
	enforced := func(key string) (any, string, bool) {
		for _, l := range layers {
			if v, ok := l.top[key]; ok {
				return v, l.name, true
			}
		}
		return nil, "", false
	}
	recommended := func(key string) (any, string, bool) {
		for _, l := range layers {
			if v, ok := l.recommended[key]; ok {
				return v, l.name, true
			}
		}
		return nil, "", false
	}
	resolve := func(key string) (any, bool, string, bool) {
		if v, src, ok := enforced(key); ok {
			return v, true, src, true
		}
		if v, src, ok := recommended(key); ok {
			return v, false, src, true
		}
		return nil, false, "", false
	}

	if v, locked, src, ok := resolve(KeyLockServerURL); ok && locked {
		p.LockServerURL = BoolSetting{Value: v.(bool), Locked: true, Source: src}
	}
	if v, locked, src, ok := resolve(KeyAllowedServers); ok && locked {
		p.AllowedServers = ListSetting{Value: v.([]string), Locked: true, Source: src}
	}
	if v, locked, src, ok := resolve(KeyDisableUpdateCheck); ok {
		p.DisableUpdateCheck = BoolSetting{Value: v.(bool), Locked: locked, Source: src}
	}
	if v, locked, src, ok := resolve(KeyLanguage); ok {
		p.Language = StringSetting{Value: v.(string), Locked: locked, Source: src}
	}
	if v, locked, src, ok := resolve(KeyCacheRetentionDays); ok {
		p.CacheRetentionDays = IntSetting{Value: v.(int), Locked: locked, Source: src}
	}
	if v, locked, src, ok := resolve(KeyLogLevel); ok {
		p.LogLevel = StringSetting{Value: v.(string), Locked: locked, Source: src}
	}

	// ServerURL: the top-level value of the highest source is enforced when
	// LockServerURL is, else it is a default like a recommended one.
	if p.LockServerURL.Value {
		if v, src, ok := enforced(KeyServerURL); ok {
			p.ServerURL = StringSetting{Value: v.(string), Locked: true, Source: src}
		} else {
			p.Problems = append(p.Problems, Problem{Source: p.LockServerURL.Source, Key: KeyLockServerURL,
				Code: CodeNoEffect, Severity: SeverityWarning,
				Message: "no source sets a valid top-level ServerURL to lock"})
		}
	}
	if !p.ServerURL.Locked {
		for _, l := range layers {
			v, ok := l.top[KeyServerURL]
			if !ok {
				v, ok = l.recommended[KeyServerURL]
			}
			if ok {
				p.ServerURL = StringSetting{Value: v.(string), Source: l.name}
				break
			}
		}
	}
	if p.ServerURL.Locked && !ServerAllowed(p.AllowedServers.Value, p.ServerURL.Value) {
		p.Problems = append(p.Problems, Problem{Source: p.ServerURL.Source, Key: KeyServerURL,
			Code: CodeConflict, Severity: SeverityWarning,
			Message: fmt.Sprintf("the locked server %s is not in AllowedServers; signing in will be refused", p.ServerURL.Value)})
	}
	return p
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
