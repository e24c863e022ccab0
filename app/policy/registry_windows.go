package policy

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// Registry is a policy key under HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER.
type Registry struct {
	Root registry.Key
	// RootName is "HKLM" or "HKCU", for Name.
	RootName string
	Path     string
}

var _ Source = Registry{}

// Name returns the key, e.g. HKLM\Software\Policies\Switchboard.
func (r Registry) Name() string { return r.RootName + `\` + r.Path }

// Read reads the key; a missing key is an empty source.
func (r Registry) Read() (Values, error) {
	k, ok, err := readRegKey(r.Root, r.Path, true)
	if err != nil || !ok {
		return Values{}, err
	}
	return ConvertRegistry(r.Name(), k), nil
}

// readRegKey reads a key's values and, with subkeys, its AllowedServers and
// Recommended subkeys (Recommended with its own AllowedServers).
func readRegKey(root registry.Key, path string, subkeys bool) (RegKey, bool, error) {
	k, err := registry.OpenKey(root, path, registry.QUERY_VALUE|registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return RegKey{}, false, nil
	}
	if err != nil {
		return RegKey{}, false, fmt.Errorf("open %s: %w", path, err)
	}
	defer k.Close()
	names, err := k.ReadValueNames(-1)
	if err != nil {
		return RegKey{}, false, fmt.Errorf("list values of %s: %w", path, err)
	}
	var out RegKey
	for _, name := range names {
		_, typ, err := k.GetValue(name, nil)
		if err != nil {
			return RegKey{}, false, fmt.Errorf("read %s\\%s: %w", path, name, err)
		}
		rv := RegValue{Name: name, Type: typ}
		switch typ {
		case registry.SZ, registry.EXPAND_SZ:
			rv.Str, _, err = k.GetStringValue(name)
		case registry.MULTI_SZ:
			rv.Strs, _, err = k.GetStringsValue(name)
		case registry.DWORD, registry.QWORD:
			rv.Num, _, err = k.GetIntegerValue(name)
		}
		if err != nil {
			return RegKey{}, false, fmt.Errorf("read %s\\%s: %w", path, name, err)
		}
		out.Values = append(out.Values, rv)
	}
	list, ok, err := readRegKey(root, path+`\`+KeyAllowedServers, false)
	if err != nil {
		return RegKey{}, false, err
	}
	if ok {
		out.AllowedServers = &list
	}
	if subkeys {
		rec, ok, err := readRegKey(root, path+`\`+KeyRecommended, false)
		if err != nil {
			return RegKey{}, false, err
		}
		if ok {
			out.Recommended = &rec
		}
	}
	return out, true, nil
}
