package pkcs11kek

import "testing"

func TestParseSpec(t *testing.T) {
	good := "module=/usr/lib/softhsm/libsofthsm2.so, token=switchboard,key=kek"
	c, err := ParseSpec(good)
	if err != nil || c.Module != "/usr/lib/softhsm/libsofthsm2.so" || c.Token != "switchboard" || c.Key != "kek" {
		t.Errorf("ParseSpec(%q) = %+v, %v", good, c, err)
	}
	for _, bad := range []string{"", "module=/x.so", "module=/x.so,token=t", "module=/x.so,token=t,key=", "module=/x.so,token=t,key=k,pin=1", "x"} {
		if _, err := ParseSpec(bad); err == nil {
			t.Errorf("ParseSpec(%q) succeeded", bad)
		}
	}
}
