package policy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Registry value types (winnt.h), so the conversion below builds and is
// tested on every OS.
const (
	RegSZ       uint32 = 1
	RegExpandSZ uint32 = 2
	RegBinary   uint32 = 3
	RegDWORD    uint32 = 4
	RegMultiSZ  uint32 = 7
	RegQWORD    uint32 = 11
)

// RegValue is one registry value as read: Str for REG_SZ and
// REG_EXPAND_SZ, Strs for REG_MULTI_SZ, Num for REG_DWORD and REG_QWORD.
type RegValue struct {
	Name string
	Type uint32
	Str  string
	Strs []string
	Num  uint64
}

// RegKey is a policy key as read from the registry: its values and the
// subkeys AllowedServers and Recommended (each nil when absent).
type RegKey struct {
	Values         []RegValue
	AllowedServers *RegKey
	Recommended    *RegKey
}

// ConvertRegistry turns a policy key into a source's values. Value names
// are matched without regard to case, as Windows does. A REG_DWORD of 0 or
// 1 is a boolean for a boolean setting, and a REG_SZ "1", "0", "true" or
// "false" is tolerated; a REG_SZ number is tolerated for a number setting.
// AllowedServers is the subkey's string values ordered by name ("1", "2",
// … as an ADMX list writes them), or else a REG_MULTI_SZ value.
func ConvertRegistry(source string, k RegKey) Values {
	var v Values
	v.Top, v.Problems = convertRegKey(source, "", k)
	if k.Recommended != nil {
		var ps []Problem
		v.Recommended, ps = convertRegKey(source, KeyRecommended+".", *k.Recommended)
		v.Problems = append(v.Problems, ps...)
	}
	return v
}

func convertRegKey(source, prefix string, k RegKey) (map[string]any, []Problem) {
	out := map[string]any{}
	var problems []Problem
	for _, rv := range k.Values {
		if rv.Name == "" {
			continue // the key's default value
		}
		name := canonicalKey(rv.Name)
		val, err := regValue(name, rv)
		if err != nil {
			problems = append(problems, Problem{Source: source, Key: prefix + name, Code: CodeWrongType,
				Severity: SeverityError, Message: err.Error() + "; ignored"})
			continue
		}
		out[name] = val
	}
	if k.AllowedServers != nil {
		list, ps := regList(source, prefix+KeyAllowedServers, *k.AllowedServers)
		problems = append(problems, ps...)
		if _, both := out[KeyAllowedServers]; both {
			problems = append(problems, Problem{Source: source, Key: prefix + KeyAllowedServers, Code: CodeConflict,
				Severity: SeverityWarning, Message: "both a subkey and a value; the subkey is used"})
		}
		out[KeyAllowedServers] = list
	}
	return out, problems
}

// canonicalKey spells a value name as the setting it names, if any.
func canonicalKey(name string) string {
	for _, k := range Keys {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

func isBoolKey(k string) bool { return k == KeyLockServerURL || k == KeyDisableUpdateCheck }

func regValue(key string, rv RegValue) (any, error) {
	switch rv.Type {
	case RegSZ, RegExpandSZ:
		s := strings.TrimSpace(rv.Str)
		if isBoolKey(key) {
			switch strings.ToLower(s) {
			case "1", "true":
				return true, nil
			case "0", "false":
				return false, nil
			}
		}
		if key == KeyCacheRetentionDays {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, nil
			}
		}
		return rv.Str, nil
	case RegDWORD, RegQWORD:
		if isBoolKey(key) && rv.Num <= 1 {
			return rv.Num == 1, nil
		}
		return rv.Num, nil
	case RegMultiSZ:
		return append([]string{}, rv.Strs...), nil
	}
	return nil, fmt.Errorf("a registry value of type %s, which no setting has", regTypeName(rv.Type))
}

// regList reads an ADMX list key: its string values ordered by name,
// numerically where the names are numbers.
func regList(source, key string, k RegKey) ([]any, []Problem) {
	vals := append([]RegValue(nil), k.Values...)
	sort.SliceStable(vals, func(i, j int) bool {
		a, aerr := strconv.Atoi(vals[i].Name)
		b, berr := strconv.Atoi(vals[j].Name)
		if aerr == nil && berr == nil {
			return a < b
		}
		if (aerr == nil) != (berr == nil) {
			return aerr == nil
		}
		return vals[i].Name < vals[j].Name
	})
	list := []any{}
	var problems []Problem
	for _, rv := range vals {
		switch rv.Type {
		case RegSZ, RegExpandSZ:
			list = append(list, rv.Str)
		default:
			problems = append(problems, Problem{Source: source, Key: key + `\` + rv.Name, Code: CodeWrongType,
				Severity: SeverityError, Message: fmt.Sprintf("must be a string (REG_SZ), not %s; ignored", regTypeName(rv.Type))})
		}
	}
	return list, problems
}

func regTypeName(t uint32) string {
	switch t {
	case RegSZ:
		return "REG_SZ"
	case RegExpandSZ:
		return "REG_EXPAND_SZ"
	case RegBinary:
		return "REG_BINARY"
	case RegDWORD:
		return "REG_DWORD"
	case RegMultiSZ:
		return "REG_MULTI_SZ"
	case RegQWORD:
		return "REG_QWORD"
	}
	return fmt.Sprintf("type %d", t)
}
