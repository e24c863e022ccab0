package kb

import (
	"errors"
	"os"
	"strings"
	"testing"
)

const sharedKB = "../../../shared/data/kb.json"

func checkStoreKB(t *testing.T, k *KB) {
	t.Helper()
	if k.Version != Version {
		t.Errorf("Version = %d, want %d", k.Version, Version)
	}
	if k.Store.ZH != "云杉商城" || k.Store.EN != "Spruce Mall" {
		t.Errorf("Store = %+v, want 云杉商城 / Spruce Mall", k.Store)
	}
	if len(k.Entries) < 20 {
		t.Errorf("len(Entries) = %d, want at least 20", len(k.Entries))
	}
	e, ok := k.Entry("contact-human")
	if !ok {
		t.Fatalf("Entry(contact-human) not found")
	}
	if e.Team == "" || len(e.Questions.ZH) == 0 || len(e.Questions.EN) == 0 || e.Answer.ZH == "" || e.Answer.EN == "" {
		t.Errorf("contact-human = %+v, want team, questions and answers in both locales", e)
	}
	for _, e := range k.Entries {
		if e.Team != "presales" && e.Team != "aftersales" {
			t.Errorf("entry %q team = %q, want presales or aftersales", e.ID, e.Team)
		}
	}
}

func TestLoadFileShared(t *testing.T) {
	if _, err := os.Stat(sharedKB); err != nil {
		t.Skipf("shared kb.json not available: %v", err)
	}
	k, err := LoadFile(sharedKB)
	if err != nil {
		t.Fatalf("LoadFile(%q) error: %v", sharedKB, err)
	}
	checkStoreKB(t, k)
}

func TestDemo(t *testing.T) {
	k := Demo()
	checkStoreKB(t, k)
	// Each call is a fresh copy.
	k.Entries[0].ID = "changed"
	if Demo().Entries[0].ID == "changed" {
		t.Errorf("Demo() shares state between calls")
	}
}

func TestDemoMatchesShared(t *testing.T) {
	shared, err := os.ReadFile(sharedKB)
	if err != nil {
		t.Skipf("shared kb.json not available: %v", err)
	}
	if string(shared) != string(demoJSON) {
		t.Errorf("demo.json differs from %s; copy it again", sharedKB)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("testdata/does-not-exist.json")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing) error = %v, want os.ErrNotExist", err)
	}
}

func TestLoadInvalid(t *testing.T) {
	const ok = `{"id":"a","team":"presales","questions":{"zh":["问"],"en":["q"]},"answer":{"zh":"答","en":"a"}}`
	tests := []struct {
		name    string
		in      string
		invalid bool   // wraps ErrInvalid
		want    string // substring of the error
	}{
		{"not json", `{`, false, "decode knowledge base"},
		{"wrong type", `{"version":"1"}`, false, "decode knowledge base"},
		{"trailing data", `{"version":1,"entries":[` + ok + `]} {}`, false, "unexpected data"},
		{"missing version", `{"entries":[` + ok + `]}`, true, "unsupported version 0"},
		{"unknown version", `{"version":2,"entries":[` + ok + `]}`, true, "unsupported version 2"},
		{"no entries", `{"version":1,"entries":[]}`, true, "no entries"},
		{"missing id", `{"version":1,"entries":[` + ok + `,{"team":"x","questions":{"en":["q"]},"answer":{"en":"a"}}]}`, true, "entry 1: missing id"},
		{"blank id", `{"version":1,"entries":[{"id":"  ","questions":{"en":["q"]},"answer":{"en":"a"}}]}`, true, "entry 0: missing id"},
		{"duplicate id", `{"version":1,"entries":[` + ok + `,` + ok + `]}`, true, `duplicate id "a"`},
		{"no answer", `{"version":1,"entries":[{"id":"b","questions":{"en":["q"]}}]}`, true, `entry "b": no answer`},
		{"blank answer", `{"version":1,"entries":[{"id":"b","questions":{"en":["q"]},"answer":{"zh":" ","en":""}}]}`, true, `entry "b": no answer`},
		{"no questions", `{"version":1,"entries":[{"id":"c","answer":{"en":"a"}}]}`, true, `entry "c": no questions`},
		{"blank question", `{"version":1,"entries":[{"id":"d","questions":{"zh":["问"],"en":[""]},"answer":{"en":"a"}}]}`, true, `entry "d": blank question`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := Load(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Load(%s) = %+v, want error", tt.in, k)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%s) error = %q, want it to contain %q", tt.in, err, tt.want)
			}
			if got := errors.Is(err, ErrInvalid); got != tt.invalid {
				t.Errorf("errors.Is(%q, ErrInvalid) = %v, want %v", err, got, tt.invalid)
			}
		})
	}
}

func TestLoadValidMinimal(t *testing.T) {
	// One locale is enough; unknown fields are ignored so that later format
	// additions still load.
	in := `{"version":1,"extra":true,"entries":[{"id":"a","questions":{"en":["hi"]},"answer":{"en":"hello"}}]}`
	k, err := Load(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Load(%s) error: %v", in, err)
	}
	if got := k.Entries[0].Answer.Get(ZH); got != "hello" {
		t.Errorf("Answer.Get(zh) = %q, want fallback %q", got, "hello")
	}
}

func TestTextGet(t *testing.T) {
	tests := []struct {
		in     Text
		locale string
		want   string
	}{
		{Text{ZH: "中", EN: "en"}, ZH, "中"},
		{Text{ZH: "中", EN: "en"}, EN, "en"},
		{Text{ZH: "中", EN: "en"}, "fr", "en"},
		{Text{ZH: "中"}, EN, "中"},
		{Text{EN: "en"}, ZH, "en"},
	}
	for _, tt := range tests {
		if got := tt.in.Get(tt.locale); got != tt.want {
			t.Errorf("%+v.Get(%q) = %q, want %q", tt.in, tt.locale, got, tt.want)
		}
	}
}

func TestLabel(t *testing.T) {
	k := &KB{Version: Version, Entries: []Entry{
		{ID: "both", Questions: Questions{ZH: []string{"运费怎么算？", "邮费多少"}, EN: []string{"How much is shipping?"}}},
		{ID: "zh-only", Questions: Questions{ZH: []string{"发票怎么开？"}}},
		{ID: "none"},
	}}
	tests := []struct {
		id   string
		want map[string]string
	}{
		{"both", map[string]string{ZH: "运费怎么算？", EN: "How much is shipping?"}},
		{"zh-only", map[string]string{ZH: "发票怎么开？"}},
		{"none", nil},
		{"missing", nil},
	}
	for _, tt := range tests {
		got := k.Label(tt.id)
		if len(got) != len(tt.want) {
			t.Errorf("Label(%q) = %v, want %v", tt.id, got, tt.want)
			continue
		}
		for l, v := range tt.want {
			if got[l] != v {
				t.Errorf("Label(%q)[%s] = %q, want %q", tt.id, l, got[l], v)
			}
		}
	}
}

func TestPriceDrop(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"I bought the air fryer on Tuesday for 399 and today it's showing as 349", true},
		{"bought a kettle for ¥199 last week, now it's ¥159. can I get the ¥40 back?", true},
		{"昨天399买的，今天只要349了", true},
		{"I bought it for 349 and now it's 399", false},
		{"my basket comes to about 70 yuan, will I get charged for delivery", false},
		{"I paid 399 for it, when will it arrive", false},
	} {
		if _, got := priceDrop(tt.text); got != tt.want {
			t.Errorf("priceDrop(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
