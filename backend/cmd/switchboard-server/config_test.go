package main

import (
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// writeConfig writes a config file with text and returns its path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "server.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// defaults returns the settings with nothing set.
func defaults(t *testing.T) serveConfig {
	t.Helper()
	clearEnv(t)
	c, err := parseServe(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clearEnv unsets, for the test, every variable serve would read.
func clearEnv(t *testing.T) {
	t.Helper()
	var c serveConfig
	var p string
	serveFlags(&c, &p).VisitAll(func(f *flag.Flag) {
		if _, ok := os.LookupEnv(envName(f.Name)); ok {
			t.Setenv(envName(f.Name), "")
		}
	})
	t.Setenv(configEnv, "")
}

// TestConfigPrecedence sets settings in the file, the environment and the
// flags: flags win over the environment, the environment over the file, the
// file over the defaults.
func TestConfigPrecedence(t *testing.T) {
	def := defaults(t)
	file := writeConfig(t, `
send_burst = 10        # file, env and flag: the flag wins
send_rate = 3.5        # file and env: env wins
routing = "pick"       # file only
idle_timeout = "1m"    # file and flag
upload_types = ["image/png", "text/*"]
demo = true
`)
	t.Setenv("SWITCHBOARD_SEND_BURST", "20")
	t.Setenv("SWITCHBOARD_SEND_RATE", "7")
	t.Setenv("SWITCHBOARD_OFFER_TIMEOUT", "45s") // env only
	t.Setenv(configEnv, file)

	got, err := parseServe([]string{"--send-burst", "30", "--idle-timeout", "2m"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := def
	want.SendBurst = 30
	want.SendRate = 7
	want.Routing = "pick"
	want.IdleTimeout = 2 * time.Minute
	want.OfferTimeout = 45 * time.Second
	want.UploadTypes = "image/png,text/*"
	want.Demo = true
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseServe =\n%+v\nwant\n%+v", got, want)
	}

	// --config beats SWITCHBOARD_CONFIG.
	other := writeConfig(t, `routing = "offer"`+"\n"+`close_after = "1h"`)
	got, err = parseServe([]string{"--config", other}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got.Routing != "offer" || got.CloseAfter != time.Hour || got.Demo {
		t.Errorf("with --config: routing %q close_after %v demo %v, want offer, 1h, false (the env's file unread)", got.Routing, got.CloseAfter, got.Demo)
	}
}

// TestConfigErrors feeds bad files, variables and flags: each is refused
// with a message naming the key and its source.
func TestConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		file string
		env  map[string]string
		args []string
		want []string
	}{
		{name: "unknown key", file: "adress = \"x\"\n", want: []string{`unknown key "adress"`, "server.toml"}},
		{name: "config inside the config", file: "config = \"other.toml\"\n", want: []string{`unknown key "config"`}},
		{name: "dashed key", file: "\"kb-poll\" = \"1s\"\n", want: []string{`unknown key "kb-poll"`}},
		{name: "syntax", file: "addr = \n", want: []string{"line 1"}},
		{name: "duplicate key", file: "addr = \"a\"\naddr = \"b\"\n", want: []string{"addr", "already defined"}},
		{name: "wrong type", file: "send_burst = \"many\"\n", want: []string{"send_burst", "want an integer"}},
		{name: "bad duration", file: "kb_poll = \"soon\"\n", want: []string{"kb_poll", "want a duration"}},
		{name: "bad bool", file: "demo = \"yes\"\n", want: []string{"demo", "true or false"}},
		{name: "negative duration", file: "idle_timeout = \"-5m\"\n", want: []string{"idle_timeout", "positive"}},
		{name: "zero rate", file: "send_rate = 0\n", want: []string{"send_rate", "positive"}},
		{name: "log level", file: "log_level = \"loud\"\n", want: []string{"log_level", "debug, info, warn or error"}},
		{name: "log format", file: "log_format = \"xml\"\n", want: []string{"log_format", "json"}},
		{name: "routing", file: "routing = \"random\"\n", want: []string{"routing", "offer, pick"}},
		{name: "missed offers", file: "missed_offers_away = -1\n", want: []string{"missed_offers_away", "negative"}},
		{name: "timezone", file: "timezone = \"Mars/Olympus\"\n", want: []string{"timezone"}},
		{name: "business hours", file: "business_hours = \"someday 9-5\"\n", want: []string{"business_hours"}},
		{name: "upload types", file: "upload_types = [1, 2]\n", want: []string{"upload_types", "list of strings"}},
		{name: "section", file: "[desktop]\nversion = \"1.0.0\"\n", want: []string{`unknown key "desktop"`}},
		{name: "table", file: "[kb_poll]\nevery = \"1s\"\n", want: []string{"kb_poll", "not a table"}},
		{name: "desktop version", file: "desktop_version = \"latest\"\n", want: []string{"desktop_version", "semantic version"}},
		{name: "download scheme", file: "desktop_version = \"0.2.0\"\ndesktop_download_linux = \"ftp://x/a.deb\"\n",
			want: []string{"desktop_download_linux", "http or https"}},
		{name: "links without version", file: "desktop_download_darwin = \"https://x/a.dmg\"\n",
			want: []string{"desktop_download_darwin", "desktop_version is not"}},
		{name: "smtp tls", file: "smtp_tls = \"ssl\"\n", want: []string{"smtp_tls", "starttls, tls, none"}},
		{name: "smtp from", file: "smtp_from = \"support\"\n", want: []string{"smtp_from", "valid email"}},
		{name: "smtp host without from", file: "smtp_host = \"smtp.example.com\"\n", want: []string{"smtp_host needs smtp_from"}},
		{name: "smtp password without user", file: "smtp_host = \"smtp.example.com\"\nsmtp_from = \"a@example.com\"\nsmtp_password_env = \"P\"\n",
			want: []string{"smtp_password_env needs smtp_username"}},
		{name: "smtp port", file: "smtp_port = 70000\n", want: []string{"smtp_port", "65535"}},
		{name: "transcript emails", file: "transcript_emails = 0\n", want: []string{"transcript_emails", "positive"}},
		{name: "cert without key", file: "tls_cert = \"a.pem\"\n", want: []string{"tls_cert and tls_key"}},
		{name: "plain HTTP off loopback", file: "addr = \"0.0.0.0:8080\"\n", want: []string{"addr 0.0.0.0:8080", "insecure"}},
		{name: "env", env: map[string]string{"SWITCHBOARD_SEND_RATE": "fast"}, want: []string{"SWITCHBOARD_SEND_RATE", "want a number"}},
		{name: "env routing", env: map[string]string{"SWITCHBOARD_ROUTING": "x"}, want: []string{"SWITCHBOARD_ROUTING", "offer, pick"}},
		{name: "missing file", args: []string{"--config", "/nonexistent/server.toml"}, want: []string{"/nonexistent/server.toml"}},
		{name: "flag", args: []string{"--routing", "x"}, want: []string{"routing"}},
		{name: "argument", args: []string{"extra"}, want: []string{`unexpected argument "extra"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := tt.args
			if tt.file != "" {
				args = append([]string{"--config", writeConfig(t, tt.file)}, args...)
			}
			var stderr strings.Builder
			_, err := parseServe(args, &stderr)
			if err == nil {
				t.Fatalf("parseServe(%q) succeeded, want an error with %q", tt.file, tt.want)
			}
			msg := err.Error() + stderr.String()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("parseServe(%q) error = %q, want it to contain %q", tt.file, msg, w)
				}
			}
		})
	}
}

// TestConfigMailer builds the transcript mailer from the smtp settings,
// its password from the variable smtp_password_env names.
func TestConfigMailer(t *testing.T) {
	clearEnv(t)
	c, err := parseServe([]string{"--config", writeConfig(t, "smtp_host = \"smtp.example.com\"\nsmtp_from = \"Support <s@example.com>\"\nsmtp_username = \"s\"\nsmtp_password_env = \"TEST_SMTP_PASSWORD\"\n")}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := c.mailer(); err == nil || m != nil || !strings.Contains(err.Error(), "TEST_SMTP_PASSWORD is not set") {
		t.Errorf("mailer() without the password = %v, %v, want an error naming the variable", m, err)
	}
	t.Setenv("TEST_SMTP_PASSWORD", "pw")
	if m, err := c.mailer(); err != nil || m == nil {
		t.Errorf("mailer() = %v, %v, want a mailer", m, err)
	}
	def := defaults(t)
	if m, err := def.mailer(); err != nil || m != nil {
		t.Errorf("mailer() by default = %v, %v, want none", m, err)
	}
}

// TestConfigInsecureOrTLS allows a non-loopback address with insecure or
// with a certificate.
func TestConfigInsecureOrTLS(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{
		{"--addr", "0.0.0.0:8080", "--insecure"},
		{"--addr", ":8443", "--tls-cert", "c.pem", "--tls-key", "k.pem"},
		{"--addr", "localhost:8080"},
		{"--addr", "[::1]:8080"},
	} {
		if _, err := parseServe(args, io.Discard); err != nil {
			t.Errorf("parseServe(%q) = %v, want no error", args, err)
		}
	}
}

// exampleConfigs are the config files shipped in build/.
const (
	exampleConfig = "../../../build/server.example.toml"
	systemdConfig = "../../../build/systemd/server.toml"
)

// TestExampleConfig checks that the example config names every setting,
// parses, and sets exactly the defaults.
func TestExampleConfig(t *testing.T) {
	def := defaults(t)
	data, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var c serveConfig
	var p string
	serveFlags(&c, &p).VisitAll(func(f *flag.Flag) {
		if _, ok := doc[configKey(f.Name)]; !ok && f.Name != "config" {
			t.Errorf("%s lacks the key %s (--%s)", exampleConfig, configKey(f.Name), f.Name)
		}
	})
	got, err := parseServe([]string{"--config", exampleConfig}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, def) {
		t.Errorf("the example config sets\n%+v\nthe defaults are\n%+v", got, def)
	}
}

// TestSystemdConfig checks that the config the systemd unit reads parses
// and keeps the data in the unit's state directory.
func TestSystemdConfig(t *testing.T) {
	clearEnv(t)
	got, err := parseServe([]string{"--config", systemdConfig}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got.Data != "/var/lib/switchboard" {
		t.Errorf("data = %q, want /var/lib/switchboard (StateDirectory=switchboard)", got.Data)
	}
	unit, err := os.ReadFile("../../../build/systemd/switchboard-server.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ExecStart=/usr/bin/switchboard-server serve --config /etc/switchboard/server.toml",
		"StateDirectory=switchboard", "User=switchboard", "KillSignal=SIGTERM", "NoNewPrivileges=yes",
		"ProtectSystem=strict", "Restart=on-failure",
	} {
		if !strings.Contains(string(unit), want+"\n") {
			t.Errorf("the unit lacks %q", want)
		}
	}
	// systemd must wait longer than the server's own graceful stop.
	var stopSec int
	for _, line := range strings.Split(string(unit), "\n") {
		if v, ok := strings.CutPrefix(line, "TimeoutStopSec="); ok {
			d, err := time.ParseDuration(v + "s")
			if err != nil {
				t.Fatalf("TimeoutStopSec=%s: %v", v, err)
			}
			stopSec = int(d.Seconds())
		}
	}
	if time.Duration(stopSec)*time.Second <= got.ShutdownTimeout {
		t.Errorf("TimeoutStopSec=%d is not longer than shutdown_timeout %v", stopSec, got.ShutdownTimeout)
	}
}

// TestSystemdUnitVerifies runs systemd-analyze verify on the unit, where
// systemd is installed, with the test binary standing in for the server's.
func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	unit, err := os.ReadFile("../../../build/systemd/switchboard-server.service")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "switchboard-server.service")
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(unit), "/usr/bin/switchboard-server", self)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", p).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestServeHelp lists every flag with its key and variable.
func TestServeHelp(t *testing.T) {
	clearEnv(t)
	var out strings.Builder
	if code := run(t.Context(), []string{"serve", "-h"}, &out, &out); code != 0 {
		t.Fatalf("serve -h = %d", code)
	}
	for _, want := range []string{"--kb-poll duration", "[kb_poll, SWITCHBOARD_KB_POLL]", "--tls-cert string", "(default 15s)", "SWITCHBOARD_CONFIG"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve -h lacks %q:\n%s", want, out.String())
		}
	}
}
