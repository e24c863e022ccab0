package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"switchboard/backend/auth"
	"switchboard/backend/files"
	"switchboard/backend/hours"
	"switchboard/backend/identity"
	"switchboard/backend/quota"
	"switchboard/backend/seal/pkcs11kek"
	"switchboard/backend/server"
	"switchboard/backend/transcript"
)

// The serve settings come from four places, strongest first: command-line
// flags, environment variables, the config file, the defaults. Every flag
// has all three spellings, derived from its name:
//
//	--kb-poll 5s    SWITCHBOARD_KB_POLL=5s    kb_poll = "5s"
//
// The config file is TOML, one top-level key per flag; it is named by
// --config or SWITCHBOARD_CONFIG. An unknown key, a value of the wrong type
// and a value the server cannot use are errors naming the key and where it
// came from: serve starts with exactly what it was told, or not at all.

// configEnv names the config file when --config is not given.
const configEnv = "SWITCHBOARD_CONFIG"

// serveConfig is everything serve reads from flags, the environment and the
// config file.
type serveConfig struct {
	Addr      string
	Data      string
	Store     string
	Bus       string
	Node      string
	Files     string
	TLSCert   string
	TLSKey    string
	Insecure  bool
	LogLevel  string
	LogFormat string
	Sites     string

	Demo         bool
	DemoCapacity int
	KB           string
	KBPoll       time.Duration

	WebhookTimeout time.Duration

	Bot                 string
	BotTimeout          time.Duration
	LLMURL              string
	LLMModel            string
	LLMKeyEnv           string
	BotWebhookURL       string
	BotWebhookSecretEnv string

	SendRate       float64
	SendBurst      int
	IdleTimeout    time.Duration
	WaitingTimeout time.Duration
	CloseAfter     time.Duration
	Routing        string
	OfferTimeout   time.Duration
	MissedOffers   int
	BusinessHours  string
	Timezone       string
	MaxUpload      int64
	UploadTypes    string

	PasswordMemory       int64
	PasswordWait         time.Duration
	LoginRate            float64
	LoginAddressFailures int
	LoginUserFailures    int
	LoginBackoffMax      time.Duration
	ImageMemory          int64
	GCHeadroom           int64
	VisitorQuota         quota.Limits
	AgentQuota           quota.Limits
	AddressQuota         quota.Limits
	UploadExpiry         time.Duration
	MaxConnsPerAddress   int
	TrustedProxies       string

	ShutdownTimeout time.Duration

	AccessTokenTTL    time.Duration
	RefreshTokenTTL   time.Duration
	RefreshFamilyTTL  time.Duration
	KEKFile           string
	KEKPKCS11         string
	InsecurePlaintext bool

	DesktopVersion         string
	DesktopDownloadWindows string
	DesktopDownloadLinux   string
	DesktopDownloadDarwin  string
	DesktopNotesURL        string

	SMTPHost         string
	SMTPPort         int
	SMTPUsername     string
	SMTPPasswordEnv  string
	SMTPFrom         string
	SMTPTLS          string
	TranscriptEmails int
}

// serveFlags registers every serve setting of c on a new flag set, with its
// default and its check. The flag "config" names the config file and is not
// itself a key of it.
func serveFlags(c *serveConfig, configPath *string) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(configPath, "config", "", "TOML config file with any of these settings (env "+configEnv+")")

	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&c.Data, "data", "./switchboard-data", "data directory: the database, the token secret, uploaded files")
	fs.StringVar(&c.Store, "store", defaultStore, storeFlagUsage)
	fs.StringVar(&c.Bus, "bus", "", busFlagUsage)
	fs.StringVar(&c.Node, "node", "", "this node's name in a cluster, in its logs (default: a random one at each start)")
	fs.StringVar(&c.Files, "files", defaultFiles, filesFlagUsage)
	fs.StringVar(&c.TLSCert, "tls-cert", "", "PEM certificate chain file: serve HTTPS and WSS (with --tls-key)")
	fs.StringVar(&c.TLSKey, "tls-key", "", "PEM private key file of --tls-cert")
	fs.BoolVar(&c.Insecure, "insecure", false, "allow plain HTTP on an address other than loopback (behind a TLS-terminating proxy)")
	fs.StringVar(&c.KEKFile, "kek-file", "", "file holding the key-encryption key of the messages and files at rest (\"keys gen FILE\" writes one); or set "+kekEnv)
	fs.StringVar(&c.KEKPKCS11, "kek-pkcs11", "", "key-encryption key on an HSM or token: module=PATH,token=LABEL,key=LABEL (the user PIN in "+pkcs11kek.PINEnv+"; needs a build with -tags pkcs11)")
	fs.BoolVar(&c.InsecurePlaintext, "insecure-plaintext", false, "store messages, notes and files unencrypted when no key-encryption key is given (without it serve refuses to start; --demo makes DATA/"+demoKEKName+")")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&c.LogFormat, "log-format", "auto", "log format: json, text, or auto (text on a terminal, else json)")

	fs.StringVar(&c.Sites, "sites", "", "TOML file of the sites that embed the widget: their origins (the only ones then allowed to start chats from a browser) and the keys verifying their customers' identity tokens (docs/deployment.md)")

	fs.BoolVar(&c.Demo, "demo", false, "seed the demo teams and accounts and answer from the demo knowledge base")
	fs.IntVar(&c.DemoCapacity, "demo-capacity", 0, "with --demo: the capacity of every demo account instead of its own (for load tests)")
	fs.StringVar(&c.KB, "kb", "", "knowledge base file in kb.json format (default: DATA/kb.json from \"kb import\", else the demo knowledge base with --demo)")
	fs.DurationVar(&c.WebhookTimeout, "webhook-timeout", 10*time.Second, "how long an outgoing webhook's receiver has to answer one delivery before it is retried (a delivery is leased for three times as long)")
	fs.DurationVar(&c.KBPoll, "kb-poll", 30*time.Second, "how often to check the store for a newly imported knowledge base, a safety net: \"kb import\" tells running servers at once; 0: only when told (no effect with --kb)")

	fs.StringVar(&c.Bot, "bot", "kb", "bot answering customers: kb (knowledge base), llm (OpenAI-compatible chat completions) or webhook")
	fs.DurationVar(&c.BotTimeout, "bot-timeout", 0, "how long the bot may take to answer one message before the conversation is handed over as \"bot unavailable\" (default: 3s for kb, 20s for llm, 10s for webhook)")
	fs.StringVar(&c.LLMURL, "llm-url", "", "chat-completions endpoint of --bot llm, e.g. https://api.openai.com/v1")
	fs.StringVar(&c.LLMModel, "llm-model", "", "model of --bot llm")
	fs.StringVar(&c.LLMKeyEnv, "llm-key-env", "", "name of the environment variable holding the API key of --bot llm")
	fs.StringVar(&c.BotWebhookURL, "bot-webhook-url", "", "URL the messages are POSTed to with --bot webhook")
	fs.StringVar(&c.BotWebhookSecretEnv, "bot-webhook-secret-env", "", "name of the environment variable holding the secret that signs the requests of --bot webhook (HMAC-SHA-256 of timestamp.body, docs/operations.md)")

	fs.Float64Var(&c.SendRate, "send-rate", 20, "messages per second one connection may send (beyond it: rate_limited)")
	fs.IntVar(&c.SendBurst, "send-burst", 40, "messages one connection may send at once")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 5*time.Minute, "an active conversation with no customer message for this long waits for the customer")
	fs.DurationVar(&c.WaitingTimeout, "waiting-timeout", 10*time.Minute, "a conversation waiting for the customer this long is resolved automatically")
	fs.DurationVar(&c.CloseAfter, "close-after", 24*time.Hour, "a resolved conversation closes after this long; until then a customer message reopens it")
	fs.StringVar(&c.Routing, "routing", server.RoutingOffer, "offer: queued conversations are offered to the least-loaded online agent; pick: agents pick them from their team queue")
	fs.DurationVar(&c.OfferTimeout, "offer-timeout", 30*time.Second, "how long an agent has to accept an offered conversation before it goes to the next agent")
	fs.IntVar(&c.MissedOffers, "missed-offers-away", 2, "offers in a row an agent may let expire before the server sets them away (0: never)")
	fs.StringVar(&c.BusinessHours, "business-hours", "", `business hours while none are stored (the hours command and the API's /business-hours win), e.g. "mon-fri 09:00-18:00; sat 10:00-16:00" (default: always open); outside them queued customers are invited to leave a message`)
	fs.StringVar(&c.Timezone, "timezone", "Local", "time zone of --business-hours, e.g. Asia/Shanghai")
	fs.Int64Var(&c.MaxUpload, "max-upload", 100<<20, "largest file a customer or agent may upload, in bytes (beyond it: file_too_large)")
	fs.StringVar(&c.UploadTypes, "upload-types", strings.Join(files.DefaultTypes, ","), `comma-separated media types that may be uploaded; "type/*" or "prefix*" allows a family`)

	fs.Int64Var(&c.PasswordMemory, "password-memory", auth.DefaultPasswordMemory, "memory the password checks of concurrent logins may take together, in bytes; further logins wait in line (each check takes the hash's argon2 memory, 19 MiB)")
	fs.DurationVar(&c.PasswordWait, "password-wait", 5*time.Second, "how long a login waits in line for its password check before it is refused rate_limited")
	fs.Float64Var(&c.LoginRate, "login-rate", 20, "logins per second checked from all addresses together (twice that at once); beyond it: rate_limited")
	fs.IntVar(&c.LoginAddressFailures, "login-address-failures", 20, "failed logins from one address before each further one makes it wait twice as long (1s up to --login-backoff-max)")
	fs.IntVar(&c.LoginUserFailures, "login-user-failures", 5, "failed logins on one username before each further one makes it wait twice as long")
	fs.DurationVar(&c.LoginBackoffMax, "login-backoff-max", 5*time.Minute, "longest wait after failed logins")
	fs.Int64Var(&c.ImageMemory, "image-memory", files.DefaultDecodeMemory, "memory image decoding for thumbnails may take together, in bytes; larger images are stored without a thumbnail")
	fs.Int64Var(&c.GCHeadroom, "gc-headroom", 128<<20, "bytes the heap may grow by between garbage collections while less than that is live (more is paced as GOGC=100 paces it; 0, or GOGC set in the environment: the Go runtime's own pacing)")
	limitFlags := func(l *quota.Limits, who string, d quota.Limits) {
		fs.IntVar(&l.Sessions, who+"-upload-sessions", d.Sessions, "unfinished uploads one "+who+" may have at once; beyond it: quota_exceeded")
		fs.Int64Var(&l.InFlight, who+"-upload-inflight", d.InFlight, "bytes the unfinished uploads of one "+who+" may declare together")
		fs.Int64Var(&l.Daily, who+"-upload-daily", d.Daily, "bytes one "+who+" may start uploading per day (UTC)")
	}
	limitFlags(&c.VisitorQuota, "visitor", quota.DefaultVisitor)
	limitFlags(&c.AgentQuota, "agent", quota.DefaultAgent)
	limitFlags(&c.AddressQuota, "address", quota.DefaultAddress)
	fs.DurationVar(&c.UploadExpiry, "upload-expiry", 24*time.Hour, "an unfinished upload nobody wrote to for this long is deleted and its quota freed")
	fs.IntVar(&c.MaxConnsPerAddress, "max-conns-per-address", 256, "WebSocket connections one client address may hold at once; 0 means no limit")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", "", `comma-separated addresses or CIDR prefixes of reverse proxies in front, e.g. "127.0.0.1"; a request from one counts as from the address it appended to X-Forwarded-For`)

	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long a graceful stop may take before the remaining connections are cut")

	fs.DurationVar(&c.AccessTokenTTL, "access-token-ttl", auth.AgentTokenTTL, "lifetime of an agent's access token; the desktop app refreshes it before it expires")
	fs.DurationVar(&c.RefreshTokenTTL, "refresh-token-ttl", auth.RefreshTokenTTL, "how long an agent's refresh token lasts unused: an app closed for longer asks for the password")
	fs.DurationVar(&c.RefreshFamilyTTL, "refresh-family-ttl", auth.RefreshFamilyTTL, "how long a sign-in lasts however often it is refreshed: after it the password is asked again")

	fs.StringVar(&c.DesktopVersion, "desktop-version", "", "desktop app version approved for agents, e.g. 0.2.0, published at /api/desktop/release (empty: none)")
	fs.StringVar(&c.DesktopDownloadWindows, "desktop-download-windows", "", "download link of the approved desktop version for Windows")
	fs.StringVar(&c.DesktopDownloadLinux, "desktop-download-linux", "", "download link of the approved desktop version for Linux")
	fs.StringVar(&c.DesktopDownloadDarwin, "desktop-download-darwin", "", "download link of the approved desktop version for macOS")
	fs.StringVar(&c.DesktopNotesURL, "desktop-notes-url", "", "release notes link of the approved desktop version")

	fs.StringVar(&c.SMTPHost, "smtp-host", "", "SMTP server that sends customers their transcripts by email (empty: no email; the widget offers download only)")
	fs.IntVar(&c.SMTPPort, "smtp-port", 0, "port of --smtp-host (0: 587, or 465 with --smtp-tls tls)")
	fs.StringVar(&c.SMTPUsername, "smtp-username", "", "user name of AUTH PLAIN at --smtp-host (empty: no authentication)")
	fs.StringVar(&c.SMTPPasswordEnv, "smtp-password-env", "", "name of the environment variable holding the password of --smtp-username")
	fs.StringVar(&c.SMTPFrom, "smtp-from", "", `sender of transcript emails, e.g. "Support <support@example.com>"`)
	fs.StringVar(&c.SMTPTLS, "smtp-tls", transcript.TLSStartTLS, "starttls (upgrade, port 587), tls (TLS from the start, port 465) or none (plain text: a relay on this host or network only)")
	fs.IntVar(&c.TranscriptEmails, "transcript-emails", 3, "how many times one conversation's transcript may be emailed in an hour (beyond it: rate_limited)")

	check(fs, "log-level", func(v string) error {
		var l slog.Level
		if l.UnmarshalText([]byte(v)) != nil {
			return errors.New("want debug, info, warn or error")
		}
		return nil
	})
	check(fs, "log-format", oneOf("auto", "json", "text"))
	check(fs, "kek-pkcs11", func(v string) error {
		if v == "" {
			return nil
		}
		_, err := pkcs11kek.ParseSpec(v)
		return err
	})
	check(fs, "sites", func(v string) error {
		if v == "" {
			return nil
		}
		_, err := identity.LoadSites(v)
		return err
	})
	check(fs, "bot", oneOf("kb", "llm", "webhook"))
	check(fs, "smtp-tls", oneOf(transcript.TLSStartTLS, transcript.TLSImplicit, transcript.TLSNone))
	check(fs, "smtp-from", func(v string) error {
		if v == "" {
			return nil
		}
		_, err := transcript.ParseAddress(v)
		return err
	})
	check(fs, "smtp-port", func(v string) error {
		if n, _ := strconv.Atoi(v); n < 0 || n > 65535 {
			return errors.New("want 0 to 65535")
		}
		return nil
	})
	check(fs, "routing", oneOf(server.RoutingOffer, server.RoutingPick))
	check(fs, "timezone", func(v string) error {
		_, err := time.LoadLocation(v)
		return err
	})
	check(fs, "business-hours", func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		_, err := hours.Parse(hours.Spec{Weekly: v})
		return err
	})
	check(fs, "upload-types", func(v string) error {
		_, err := files.ParseTypes(v)
		return err
	})
	positive := func(v string) error {
		if n, _ := strconv.ParseFloat(v, 64); n <= 0 {
			return errors.New("must be positive")
		}
		return nil
	}
	notNegative := func(v string) error {
		if d, _ := time.ParseDuration(v); d < 0 || strings.HasPrefix(v, "-") {
			return errors.New("must not be negative")
		}
		return nil
	}
	for _, name := range []string{"send-rate", "send-burst", "max-upload", "password-memory", "login-rate",
		"login-address-failures", "login-user-failures", "image-memory", "transcript-emails"} {
		check(fs, name, positive)
	}
	for _, who := range []string{"visitor", "agent", "address"} {
		for _, what := range []string{"sessions", "inflight", "daily"} {
			check(fs, who+"-upload-"+what, positive)
		}
	}
	check(fs, "gc-headroom", func(v string) error {
		if n, _ := strconv.ParseInt(v, 10, 64); n < 0 {
			return errors.New("must not be negative")
		}
		return nil
	})
	check(fs, "trusted-proxies", func(v string) error {
		_, err := server.ParseProxies(v)
		return err
	})
	check(fs, "max-conns-per-address", func(v string) error {
		if n, _ := strconv.Atoi(v); n < 0 {
			return errors.New("must not be negative")
		}
		return nil
	})
	for _, name := range []string{"idle-timeout", "waiting-timeout", "close-after", "offer-timeout", "shutdown-timeout",
		"access-token-ttl", "refresh-token-ttl", "refresh-family-ttl", "password-wait", "login-backoff-max", "upload-expiry"} {
		check(fs, name, func(v string) error {
			if d, _ := time.ParseDuration(v); d <= 0 {
				return errors.New("must be a positive duration such as 30s or 5m")
			}
			return nil
		})
	}
	check(fs, "kb-poll", notNegative)
	check(fs, "webhook-timeout", notNegative)
	check(fs, "bot-timeout", notNegative)
	check(fs, "missed-offers-away", func(v string) error {
		if n, _ := strconv.Atoi(v); n < 0 {
			return errors.New("must not be negative (0: never)")
		}
		return nil
	})
	check(fs, "demo-capacity", func(v string) error {
		if n, _ := strconv.Atoi(v); n < 0 {
			return errors.New("must not be negative")
		}
		return nil
	})
	check(fs, "desktop-version", func(v string) error {
		if v != "" && !versionRE.MatchString(v) {
			return errors.New("want a semantic version such as 0.2.0")
		}
		return nil
	})
	for _, name := range []string{"desktop-download-windows", "desktop-download-linux", "desktop-download-darwin",
		"desktop-notes-url", "llm-url", "bot-webhook-url"} {
		check(fs, name, webURL)
	}
	return fs
}

// versionRE matches a semantic version, with an optional leading v.
var versionRE = regexp.MustCompile(`^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// webURL accepts "" and absolute http or https URLs.
func webURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("want an absolute http or https URL")
	}
	return nil
}

// oneOf accepts exactly the given values.
func oneOf(values ...string) func(string) error {
	return func(v string) error {
		if !slices.Contains(values, v) {
			return fmt.Errorf("want %s", strings.Join(values, ", "))
		}
		return nil
	}
}

// checkedValue is a flag value whose Set also checks the value, so that
// flags, environment variables and the config file are checked alike.
type checkedValue struct {
	flag.Value
	check func(string) error
}

// String is safe on the zero value, which flag.PrintDefaults makes.
func (v *checkedValue) String() string {
	if v == nil || v.Value == nil {
		return ""
	}
	return v.Value.String()
}

func (v *checkedValue) Set(s string) error {
	if err := v.Value.Set(s); err != nil {
		return err
	}
	return v.check(v.Value.String())
}

// check adds fn to the checks of flag name (never a boolean one).
func check(fs *flag.FlagSet, name string, fn func(string) error) {
	f := fs.Lookup(name)
	if c, ok := f.Value.(*checkedValue); ok {
		prev := c.check
		c.check = func(v string) error {
			if err := prev(v); err != nil {
				return err
			}
			return fn(v)
		}
		return
	}
	f.Value = &checkedValue{Value: f.Value, check: fn}
}

// configKey is the config file key of flag name; envName its environment
// variable.
func configKey(name string) string { return strings.ReplaceAll(name, "-", "_") }
func envName(name string) string {
	return "SWITCHBOARD_" + strings.ToUpper(configKey(name))
}

// parseServe reads the serve settings: the defaults, then the config file
// (--config, else SWITCHBOARD_CONFIG), then the environment, then the flags.
// A flag error has been printed to stderr already (a printedError); other
// errors have not.
func parseServe(args []string, stderr io.Writer) (serveConfig, error) {
	var c serveConfig
	var configPath string
	fs := serveFlags(&c, &configPath)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `Usage: switchboard-server serve [flags]

Every flag can also be set in the TOML config file (--config FILE or %s)
as a top-level key, with "_" for "-" (kb_poll = "5s"), or in the environment as
SWITCHBOARD_ and the key in capitals (SWITCHBOARD_KB_POLL=5s). Flags win over the
environment, the environment over the file, the file over the defaults.

Flags:
`, configEnv)
		printFlags(fs)
	}
	// The first pass finds --config and rejects unknown flags; the file and
	// the environment go in next, and the second pass puts the flags back on
	// top of them.
	if err := fs.Parse(args); err != nil {
		return c, printedError{err}
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if configPath == "" {
		configPath = os.Getenv(configEnv)
	}
	if configPath != "" {
		if err := applyConfigFile(fs, configPath); err != nil {
			return c, err
		}
	}
	if err := applyEnv(fs); err != nil {
		return c, err
	}
	if err := fs.Parse(args); err != nil {
		return c, printedError{err}
	}
	return c, c.validate()
}

// printFlags prints the flags like flag.PrintDefaults, with each one's
// config key and environment variable, and the types of checked values.
func printFlags(fs *flag.FlagSet) {
	w := fs.Output()
	fs.VisitAll(func(f *flag.Flag) {
		v := f.Value
		if c, ok := v.(*checkedValue); ok {
			v = c.Value
		}
		kind, usage := flag.UnquoteUsage(&flag.Flag{Name: f.Name, Usage: f.Usage, Value: v})
		fmt.Fprintf(w, "  --%s", f.Name)
		if kind != "" {
			fmt.Fprintf(w, " %s", kind)
		}
		fmt.Fprintf(w, "\n    \t%s", strings.ReplaceAll(usage, "\n", "\n    \t"))
		switch f.DefValue {
		case "", "0", "false", "0s":
		default:
			if kind == "string" {
				fmt.Fprintf(w, " (default %q)", f.DefValue)
			} else {
				fmt.Fprintf(w, " (default %s)", f.DefValue)
			}
		}
		if f.Name != "config" {
			fmt.Fprintf(w, "\n    \t[%s, %s]", configKey(f.Name), envName(f.Name))
		}
		fmt.Fprintln(w)
	})
}

// printedError is a flag error the flag package has printed already.
type printedError struct{ error }

func (e printedError) Unwrap() error { return e.error }

// validate checks the settings that only make sense together.
func (c *serveConfig) validate() error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("tls_cert and tls_key (--tls-cert, --tls-key) go together: set both or neither")
	}
	if c.SMTPHost != "" && c.SMTPFrom == "" {
		return errors.New("smtp_host needs smtp_from (--smtp-from): the sender of transcript emails")
	}
	if c.SMTPPasswordEnv != "" && c.SMTPUsername == "" {
		return errors.New("smtp_password_env needs smtp_username (--smtp-username)")
	}
	if c.DesktopVersion == "" {
		for key, v := range map[string]string{
			"desktop_download_windows": c.DesktopDownloadWindows, "desktop_download_linux": c.DesktopDownloadLinux,
			"desktop_download_darwin": c.DesktopDownloadDarwin, "desktop_notes_url": c.DesktopNotesURL,
		} {
			if v != "" {
				return fmt.Errorf("%s is set but desktop_version is not: say which version the links are for", key)
			}
		}
	}
	if c.TLSCert == "" && !c.Insecure && !loopback(c.Addr) {
		return fmt.Errorf("addr %s is not a loopback address: serve TLS there (tls_cert, tls_key) or, behind a TLS-terminating proxy, set insecure = true (--insecure)", c.Addr)
	}
	return nil
}

// loopback reports whether addr listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// applyConfigFile sets the flags named by the keys of the TOML file path.
func applyConfigFile(fs *flag.FlagSet, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return fmt.Errorf("config %s: line %d column %d: %s", path, row, col, de.Error())
		}
		return fmt.Errorf("config %s: %w", path, err)
	}
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		name := strings.ReplaceAll(key, "_", "-")
		f := fs.Lookup(name)
		if f == nil || name == "config" || key != configKey(name) {
			return fmt.Errorf("config %s: unknown key %q (the keys are the serve flags with _ for -: switchboard-server serve -h)", path, key)
		}
		raw, err := tomlString(doc[key])
		if err != nil {
			return fmt.Errorf("config %s: key %s: %v", path, key, err)
		}
		if err := fs.Set(name, raw); err != nil {
			return fmt.Errorf("config %s: key %s = %q: %v", path, key, raw, setError(f, err))
		}
	}
	return nil
}

// applyEnv sets the flags whose environment variable is set.
func applyEnv(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || f.Name == "config" {
			return
		}
		v, ok := os.LookupEnv(envName(f.Name))
		if !ok || v == "" {
			return
		}
		if serr := fs.Set(f.Name, v); serr != nil {
			err = fmt.Errorf("environment %s=%q: %v", envName(f.Name), v, setError(f, serr))
		}
	})
	return err
}

// setError says what a flag wanted when its value did not parse.
func setError(f *flag.Flag, err error) error {
	var numErr *strconv.NumError
	switch {
	case errors.As(err, &numErr), strings.Contains(err.Error(), "parse error"), strings.Contains(err.Error(), "invalid duration"):
		v := f.Value
		if c, ok := v.(*checkedValue); ok {
			v = c.Value
		}
		kind, _ := flag.UnquoteUsage(&flag.Flag{Name: f.Name, Value: v})
		switch kind {
		case "":
			return errors.New("want true or false")
		case "int":
			return errors.New("want an integer")
		case "float":
			return errors.New("want a number")
		}
		return fmt.Errorf("want a %s such as 30s or 5m", kind)
	}
	return err
}

// tomlString turns a TOML value into the text a flag parses: arrays of
// strings become comma-separated lists.
func tomlString(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return "", errors.New("want a list of strings")
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), nil
	case map[string]any:
		return "", errors.New("want a value, not a table (every key is top-level)")
	}
	return "", fmt.Errorf("unsupported value of type %T", v)
}

// loadSettings reads the serve settings without serve's flags, for the
// other commands: the defaults, the config file (configPath, else
// SWITCHBOARD_CONFIG), the environment.
func loadSettings(configPath string) (serveConfig, error) {
	var c serveConfig
	var ignored string
	fs := serveFlags(&c, &ignored)
	if configPath == "" {
		configPath = os.Getenv(configEnv)
	}
	if configPath != "" {
		if err := applyConfigFile(fs, configPath); err != nil {
			return c, err
		}
	}
	return c, applyEnv(fs)
}

// mailer is the transcript mailer of the smtp settings: nil without
// smtp_host. The password is read from the variable smtp_password_env
// names; the password itself is never a setting.
func (c *serveConfig) mailer() (*transcript.Mailer, error) {
	if c.SMTPHost == "" {
		return nil, nil
	}
	var password string
	if c.SMTPPasswordEnv != "" {
		if password = os.Getenv(c.SMTPPasswordEnv); password == "" {
			return nil, fmt.Errorf("--smtp-password-env: %s is not set", c.SMTPPasswordEnv)
		}
	}
	return transcript.NewMailer(transcript.SMTPConfig{Host: c.SMTPHost, Port: c.SMTPPort, Username: c.SMTPUsername,
		Password: password, From: c.SMTPFrom, TLS: c.SMTPTLS})
}
