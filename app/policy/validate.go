package policy

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// checkers check a raw value of each key and return it typed: string,
// bool, int or []string.
var checkers = map[string]func(raw any) (any, *Problem){
	KeyServerURL:          checkServerURL,
	KeyLockServerURL:      checkBool,
	KeyAllowedServers:     checkAllowedServers,
	KeyDisableUpdateCheck: checkBool,
	KeyLanguage:           checkEnum(LanguageEnglish, LanguageChinese, LanguageSystem),
	KeyCacheRetentionDays: checkInt(MinRetentionDays, MaxRetentionDays),
	KeyLogLevel:           checkEnum(LogDebug, LogInfo, LogWarn, LogError),
}

// check checks the raw value of key. The problem it returns has no Source
// or Key yet; a value returned beside a problem is still used (the valid
// entries of a list).
func check(key string, raw any) (any, *Problem) {
	f, ok := checkers[key]
	if !ok {
		msg := "is not a setting; ignored"
		for _, k := range Keys {
			if strings.EqualFold(k, key) {
				msg = fmt.Sprintf("is not a setting (did you mean %s?); ignored", k)
			}
		}
		return nil, &Problem{Code: CodeUnknownKey, Severity: SeverityWarning, Message: msg}
	}
	return f(raw)
}

func problem(code, format string, args ...any) *Problem {
	return &Problem{Code: code, Severity: SeverityError, Message: fmt.Sprintf(format, args...) + "; ignored"}
}

func typeName(raw any) string {
	switch raw.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, uint64, float64, json.Number, int:
		return "a number"
	case []string, []any:
		return "a list"
	case map[string]any:
		return "a dictionary"
	case nil:
		return "null"
	}
	return fmt.Sprintf("a %T", raw)
}

func checkBool(raw any) (any, *Problem) {
	b, ok := raw.(bool)
	if !ok {
		return nil, problem(CodeWrongType, "must be true or false, not %s", typeName(raw))
	}
	return b, nil
}

// integer returns raw as an integer, if it is a whole number.
func integer(raw any) (int64, bool) {
	switch v := raw.(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case uint64:
		if v > math.MaxInt64 {
			return math.MaxInt64, true
		}
		return int64(v), true
	case float64:
		if v != math.Trunc(v) || math.IsInf(v, 0) {
			return 0, false
		}
		if v > math.MaxInt64 || v < math.MinInt64 {
			return int64(math.Copysign(math.MaxInt64, v)), true
		}
		return int64(v), true
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, true
		}
		if f, err := v.Float64(); err == nil {
			return integer(f)
		}
	}
	return 0, false
}

func checkInt(lo, hi int64) func(any) (any, *Problem) {
	return func(raw any) (any, *Problem) {
		n, ok := integer(raw)
		if !ok {
			return nil, problem(CodeWrongType, "must be a whole number, not %s", typeName(raw))
		}
		if n < lo || n > hi {
			return nil, problem(CodeOutOfRange, "%d is out of range %d..%d", n, lo, hi)
		}
		return int(n), nil
	}
}

// checkEnum accepts one of values, in any case, and returns it as spelled
// in values.
func checkEnum(values ...string) func(any) (any, *Problem) {
	return func(raw any) (any, *Problem) {
		s, ok := raw.(string)
		if !ok {
			return nil, problem(CodeWrongType, "must be one of %s, not %s", strings.Join(values, ", "), typeName(raw))
		}
		for _, v := range values {
			if strings.EqualFold(strings.TrimSpace(s), v) {
				return v, nil
			}
		}
		return nil, problem(CodeUnknownValue, "%q is not one of %s", s, strings.Join(values, ", "))
	}
}

func checkServerURL(raw any) (any, *Problem) {
	s, ok := raw.(string)
	if !ok {
		return nil, problem(CodeWrongType, "must be a string (an http or https URL), not %s", typeName(raw))
	}
	u, err := ParseServerURL(s)
	if err != nil {
		return nil, problem(CodeBadURL, "%v", err)
	}
	return u, nil
}

// ParseServerURL checks a server address: an absolute http or https URL
// with a host and nothing but a path after it. It returns the URL without
// a trailing slash.
func ParseServerURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || s == "" {
		return "", fmt.Errorf("%q is not a URL", s)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q must start with http:// or https://", s)
	}
	if u.Hostname() == "" {
		return "", fmt.Errorf("%q has no host", s)
	}
	if !validHost(u.Hostname()) {
		return "", fmt.Errorf("%q has an invalid host", s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("%q must not hold a user, query or fragment", s)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%q has an invalid port", s)
		}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), nil
}

func checkAllowedServers(raw any) (any, *Problem) {
	var items []any
	switch v := raw.(type) {
	case []string:
		for _, s := range v {
			items = append(items, s)
		}
	case []any:
		items = v
	default:
		return nil, problem(CodeWrongType, "must be a list of servers, not %s", typeName(raw))
	}
	out := []string{}
	var bad []string
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			bad = append(bad, fmt.Sprintf("item %d is %s", i+1, typeName(it)))
			continue
		}
		p, err := parsePattern(s)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		out = append(out, p.String())
	}
	if len(bad) == 0 {
		return out, nil
	}
	if len(out) == 0 {
		return nil, problem(CodeBadURL, "no valid server: %s", strings.Join(bad, "; "))
	}
	// The valid entries still restrict sign-in; only the bad ones are
	// dropped. The value is kept, so the problem is returned beside it.
	return out, &Problem{Code: CodeBadURL, Severity: SeverityError,
		Message: fmt.Sprintf("entries ignored: %s", strings.Join(bad, "; "))}
}

// pattern is an entry of AllowedServers: a host name (any scheme and
// port), a host and port, a URL (its scheme, host and port), each host
// possibly "*.example.com" for any name below example.com.
type pattern struct {
	scheme   string // "" for any
	host     string // lower case, without "*."
	wildcard bool
	port     string // "" for any
}

func (p pattern) String() string {
	h := p.host
	if p.wildcard {
		h = "*." + h
	}
	if p.port != "" {
		h = net.JoinHostPort(h, p.port)
	} else if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if p.scheme != "" {
		return p.scheme + "://" + h
	}
	return h
}

func parsePattern(raw string) (pattern, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if s == "" {
		return pattern{}, fmt.Errorf("an empty entry")
	}
	var p pattern
	hostport := s
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		if scheme != "http" && scheme != "https" {
			return pattern{}, fmt.Errorf("%q must start with http:// or https://", raw)
		}
		p.scheme = scheme
		hostport, _, _ = strings.Cut(rest, "/")
		if strings.ContainsAny(hostport, "@?#") {
			return pattern{}, fmt.Errorf("%q must not hold a user, query or fragment", raw)
		}
	} else if strings.ContainsAny(s, "/@?# ") {
		return pattern{}, fmt.Errorf("%q is not a host name or URL", raw)
	}
	host := hostport
	if h, port, err := net.SplitHostPort(hostport); err == nil {
		n, perr := strconv.Atoi(port)
		if perr != nil || n < 1 || n > 65535 {
			return pattern{}, fmt.Errorf("%q has an invalid port", raw)
		}
		host, p.port = h, strconv.Itoa(n)
	} else if strings.HasPrefix(hostport, "[") && strings.HasSuffix(hostport, "]") {
		host = hostport[1 : len(hostport)-1]
	}
	if p.scheme != "" && p.port == "" {
		p.port = defaultPort(p.scheme)
	}
	if rest, ok := strings.CutPrefix(host, "*."); ok {
		p.wildcard, host = true, rest
	}
	host = strings.TrimSuffix(host, ".")
	if !validHost(host) || (p.wildcard && net.ParseIP(host) != nil) {
		return pattern{}, fmt.Errorf("%q is not a valid host name", raw)
	}
	p.host = host
	return p, nil
}

func defaultPort(scheme string) string {
	if scheme == "https" {
		return "443"
	}
	return "80"
}

// validHost accepts an IP address or a DNS name of letters, digits and
// hyphens (internationalized names in their xn-- form).
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// ServerAllowed reports whether serverURL (an http or https URL) matches
// one of allowed, the entries of AllowedServers as Load returns them. An
// empty list allows any server.
func ServerAllowed(allowed []string, serverURL string) bool {
	if len(allowed) == 0 {
		return true
	}
	u, err := url.Parse(strings.TrimSpace(serverURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == "" {
		port = defaultPort(u.Scheme)
	}
	for _, a := range allowed {
		p, err := parsePattern(a)
		if err != nil {
			continue
		}
		if p.scheme != "" && p.scheme != u.Scheme {
			continue
		}
		if p.port != "" && p.port != port {
			continue
		}
		if p.wildcard {
			if strings.HasSuffix(host, "."+p.host) {
				return true
			}
			continue
		}
		if host == p.host {
			return true
		}
	}
	return false
}
