// Command switchboard-server runs the Switchboard messaging server.
//
//	switchboard-server serve [--config server.toml] [--addr 127.0.0.1:8080] [--data ./switchboard-data] [--store sqlite:] [--files file:] [flags]
//	switchboard-server kb check FILE
//	switchboard-server kb import [--data DIR] FILE
//	switchboard-server backup [--data DIR] FILE
//	switchboard-server restore [--data DIR] FILE
//	switchboard-server audit [--data DIR] [filters] | audit verify
//	switchboard-server version
//
// Every serve flag can also be set in the TOML config file or the
// environment (see config.go and docs/operations.md). The admin commands
// take --store too; it names the store by URL (store.go).
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"switchboard/backend/bus"
	"switchboard/backend/files"
	"switchboard/backend/gctune"
	"switchboard/backend/identity"
	"switchboard/backend/kb"
	"switchboard/backend/notice"
	"switchboard/backend/server"
	"switchboard/backend/widget"
	"switchboard/internal/buildinfo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Switchboard messaging server.

Usage:
  switchboard-server serve [flags]          run the server
  switchboard-server backup [--data] FILE   copy the database consistently (the server may run)
  switchboard-server restore [--data] FILE  replace the database with a backup (stop the server first)
  switchboard-server kb check FILE          validate a knowledge base in kb.json format and count its entries
  switchboard-server kb import [--data] FILE
                                            check it, then install it as the server's knowledge base
                                            (DIR/kb.json); a running server picks it up
  switchboard-server agent list|add|set|passwd|disable|enable ...
                                            manage staff accounts ("agent" alone for help)
  switchboard-server team list|add|set|remove|sla ...
                                            manage teams, their skills, overflow and SLA ("team" alone for help)
  switchboard-server audit [--actor] [--conversation] [--action] [--since] [--until] [--format jsonl|csv]
                                            print the audit log ("audit -h" for help)
  switchboard-server audit verify           check the audit log's hash chain; exit 1 at the first broken link
  switchboard-server webhook list|add|set|rotate|remove|dead|replay ...
                                            outgoing webhooks: endpoints, secrets, the dead-letter list
                                            ("webhook" alone for help)
  switchboard-server canned list|add|set|remove|preview ...
                                            shared canned responses, global or --team ("canned" alone for help)
  switchboard-server hours show|set|clear ...
                                            business hours, global or --team, with time zone and closed
                                            dates ("hours" alone for help)
  switchboard-server apikey create|list|revoke ...
                                            keys of the HTTP API and their scopes ("apikey" alone for help)
  switchboard-server keys gen|status|rotate ...
                                            encryption at rest: write a key-encryption key, list the
                                            data keys, rotate ("keys" alone for help)
  switchboard-server healthcheck [--config FILE] [--url URL]
                                            exit 0 when the server answers /healthz (container probes)
  switchboard-server gencert [--hosts localhost,127.0.0.1] [--cert cert.pem] [--key key.pem]
                                            write a self-signed certificate for tls_cert/tls_key (tests, development)
  switchboard-server version                print the version

Run "switchboard-server serve -h" for the serve flags.
`

// stdin is where commands read a password from; tests replace it.
var stdin io.Reader = os.Stdin

// run runs the command line args; serve runs until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], stdout, stderr)
	case "restore":
		return restore(ctx, args[1:], stdout, stderr)
	case "kb":
		return kbCommand(args[1:], stdout, stderr)
	case "keys":
		return keysCommand(ctx, args[1:], stdout, stderr)
	case "agent":
		return agentCommand(ctx, args[1:], stdin, stdout, stderr)
	case "team", "teams":
		return teamCommand(ctx, args[1:], stdout, stderr)
	case "audit":
		return auditCommand(ctx, args[1:], stdout, stderr)
	case "webhook", "webhooks":
		return webhookCommand(ctx, args[1:], stdout, stderr)
	case "canned":
		return cannedCommand(ctx, args[1:], stdout, stderr)
	case "hours":
		return hoursCommand(ctx, args[1:], stdout, stderr)
	case "apikey", "apikeys":
		return apikeyCommand(ctx, args[1:], stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args[1:], stdout, stderr)
	case "gencert":
		return gencert(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "switchboard-server %s (%s %s/%s)\n", buildinfo.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
	return 2
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseServe(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if !errors.As(err, new(printedError)) {
			fmt.Fprintf(stderr, "serve: %v\n", err)
		}
		return 2
	}
	allowed, _ := files.ParseTypes(c.UploadTypes)       // checked by parseServe
	proxies, _ := server.ParseProxies(c.TrustedProxies) // checked by parseServe
	var level slog.Level
	level.UnmarshalText([]byte(c.LogLevel)) // checked by parseServe
	log := newLogger(stderr, c.LogFormat, level)
	if c.GCHeadroom > 0 && os.Getenv("GOGC") == "" {
		// Fewer collections while the live heap is small (backend/gctune).
		tuneCtx, stopTune := context.WithCancel(ctx)
		defer stopTune()
		go gctune.Run(tuneCtx, uint64(c.GCHeadroom), time.Second)
	}
	loc, _ := time.LoadLocation(c.Timezone) // checked by parseServe
	hours, err := defaultHours(c)
	if err != nil {
		fmt.Fprintf(stderr, "serve: bad business_hours: %v\n", err)
		return 2
	}
	var sites []identity.Site
	if c.Sites != "" {
		if sites, err = identity.LoadSites(c.Sites); err != nil {
			fmt.Fprintf(stderr, "serve: sites: %v\n", err)
			return 2
		}
	}
	demoPage := widget.DemoHandler()
	if c.Demo {
		site, err := demoSite(c.Data)
		if err != nil {
			fmt.Fprintf(stderr, "serve: %v\n", err)
			return 1
		}
		sites = append(sites, site)
		mux := http.NewServeMux()
		mux.Handle("/demo/identity", demoIdentityHandler(site))
		mux.Handle("/", demoPage)
		demoPage = mux
	}
	verifier, err := identity.NewVerifier(sites, nil)
	if err != nil {
		fmt.Fprintf(stderr, "serve: sites: %v\n", err)
		return 2
	}
	var tlsConfig *tls.Config
	if c.TLSCert != "" {
		certs, err := newCertReloader(c.TLSCert, c.TLSKey, log)
		if err != nil {
			fmt.Fprintf(stderr, "serve: tls_cert %s, tls_key %s: %v\n", c.TLSCert, c.TLSKey, err)
			return 2
		}
		tlsConfig = certs.tlsConfig()
	}

	// Everything the server writes is for its own user only: the
	// database, its WAL, files, uploads (docs/operations.md).
	restrictUmask()
	// One server per data directory; restore checks the same lock.
	release, err := lockData(c.Data)
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	}
	defer release()
	kek, err := loadKEK(c, true)
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 2
	}
	switch {
	case kek == nil:
		log.Warn("encryption at rest is off (insecure_plaintext): messages, notes and files are stored unencrypted")
	case c.Demo && c.KEKFile == "" && os.Getenv(kekEnv) == "":
		log.Warn("demo: the key-encryption key is a file in the data directory; give kek_file or SWITCHBOARD_KEK in production",
			"kek", filepath.Join(c.Data, demoKEKName))
	default:
		log.Info("encryption at rest", "kek", kek.Name())
	}
	st, err := openStore(ctx, c, kek)
	if err != nil {
		log.Error("start", "err", err)
		return 1
	}
	// Deferred after release, so it runs before: the store closes while
	// the data directory is still locked, after srv.Shutdown.
	defer st.Close()

	shared := kb.NewShared(st)
	k, kbFrom, err := serveKB(ctx, c.KB, c.Demo, shared, st, kb.NewWatcher(filepath.Join(c.Data, kb.FileName)))
	if err != nil {
		log.Error("load knowledge base", "err", err)
		return 1
	}
	if k != nil {
		log.Info("knowledge base loaded", "from", kbFrom, "entries", len(k.Entries))
	}
	botCfg := botConfig{
		kind: c.Bot, kb: k, timeout: c.BotTimeout, llmURL: c.LLMURL, llmModel: c.LLMModel, llmKeyEnv: c.LLMKeyEnv, webhookURL: c.BotWebhookURL,
		webhookSecretEnv: c.BotWebhookSecretEnv,
	}
	answerer, err := newBot(botCfg)
	if err != nil {
		log.Error("start bot", "err", err)
		return 1
	}
	log.Info("bot", "kind", c.Bot, "timeout", botCfg.botTimeout())
	live := newSwapBot(answerer, k)
	kbLive := liveKB(shared, k, botCfg, live, log)
	kbKick := make(chan struct{}, 1)
	if c.KB == "" { // --kb pins the knowledge base
		defer watchKB(ctx, kbLive, c.KBPoll, kbKick, log)()
	}

	var clusterBus bus.Bus
	if c.Bus != "" {
		b, err := openBus(c.Bus, log)
		if err != nil {
			log.Error("start", "err", err)
			return 1
		}
		// Deferred after the store's Close, so it runs before it, after
		// srv.Shutdown.
		defer b.Close()
		clusterBus = b
		log.Info("cluster bus", "url", redactURL(c.Bus))
	}

	mailer, err := c.mailer()
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 2
	}

	srv, err := server.New(server.Config{
		Addr:    c.Addr,
		DataDir: c.Data,
		Files:   c.Files,
		Store:   st,
		Bus:     clusterBus,
		KnowledgeBaseChanged: func() {
			select {
			case kbKick <- struct{}{}:
			default:
			}
		},
		Node:           c.Node,
		WebhookTimeout: c.WebhookTimeout,
		NoticeSocket:   notice.Path(c.Data),
		Logger:         log,
		Demo:           c.Demo,
		Bot:            serverBot(live),
		KnowledgeBase:  pinnedKB{kbLive, c.KB != ""},
		BotTimeout:     botCfg.botTimeout(),
		IntentLabel:    live.intentLabel,
		Widget:         widget.Handler(),
		DemoPage:       demoPage,
		SendRate:       c.SendRate,
		SendBurst:      c.SendBurst,

		IdleTimeout:      c.IdleTimeout,
		WaitingTimeout:   c.WaitingTimeout,
		CloseAfter:       c.CloseAfter,
		OfferTimeout:     c.OfferTimeout,
		MissedOffersAway: missedOffersAway(c.MissedOffers),
		Routing:          c.Routing,
		DemoCapacity:     c.DemoCapacity,
		BusinessHours:    hours,
		MaxUploadBytes:   c.MaxUpload,
		UploadTypes:      allowed,

		PasswordMemory:       c.PasswordMemory,
		PasswordWait:         c.PasswordWait,
		LoginRate:            c.LoginRate,
		LoginAddressFailures: c.LoginAddressFailures,
		LoginUserFailures:    c.LoginUserFailures,
		LoginBackoffMax:      c.LoginBackoffMax,
		ImageMemory:          c.ImageMemory,
		VisitorQuota:         c.VisitorQuota,
		AgentQuota:           c.AgentQuota,
		AddressQuota:         c.AddressQuota,
		UploadExpiry:         c.UploadExpiry,
		MaxConnsPerAddress:   connsPerAddress(c.MaxConnsPerAddress),
		TrustedProxies:       proxies,
		DesktopRelease:       c.desktopRelease(),
		Identity:             verifier,

		AgentTokenTTL:    c.AccessTokenTTL,
		RefreshTokenTTL:  c.RefreshTokenTTL,
		RefreshFamilyTTL: c.RefreshFamilyTTL,

		Mailer:           mailer,
		TranscriptEmails: c.TranscriptEmails,
		TranscriptZone:   loc,
	})
	if err != nil {
		log.Error("start", "err", err)
		return 1
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		log.Error("listen", "addr", c.Addr, "err", err)
		srv.Shutdown(context.Background())
		return 1
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	base := scheme + "://" + displayAddr(ln.Addr())
	log.Info("listening", "url", base, "data", c.Data, "version", buildinfo.Version)
	if c.DesktopVersion != "" {
		log.Info("desktop release published", "version", c.DesktopVersion)
	}
	if c.Demo {
		printDemo(stdout, base)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-served:
		if err != nil {
			log.Error("serve", "err", err)
			srv.Shutdown(context.Background())
			return 1
		}
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	<-served
	log.Info("stopped")
	return 0
}

// desktopRelease is the release the settings publish, or nil.
func (c *serveConfig) desktopRelease() *server.DesktopRelease {
	if c.DesktopVersion == "" {
		return nil
	}
	r := &server.DesktopRelease{Version: c.DesktopVersion, Downloads: map[string]string{}, NotesURL: c.DesktopNotesURL}
	for goos, u := range map[string]string{"windows": c.DesktopDownloadWindows, "linux": c.DesktopDownloadLinux, "darwin": c.DesktopDownloadDarwin} {
		if u != "" {
			r.Downloads[goos] = u
		}
	}
	return r
}

// newLogger returns the server's logger: JSON lines (one object per record,
// for journald, docker logs and log shippers) or slog's key=value text;
// "auto" picks text when w is a terminal and JSON otherwise.
func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func printDemo(w io.Writer, base string) {
	fmt.Fprintf(w, "\nSwitchboard demo\n\n  Demo shop (customer widget): %s/demo\n  Server:                      %s\n\n", base, base)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tPASSWORD\tROLE\tTEAMS")
	for _, a := range server.DemoAccounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Username, server.DemoPassword, a.Role, strings.Join(a.Teams, ", "))
	}
	tw.Flush()
	fmt.Fprintln(w)
}

// connsPerAddress maps --max-conns-per-address (0: no limit) onto
// server.Config.MaxConnsPerAddress (0: the default, negative: no limit).
func connsPerAddress(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// missedOffersAway maps --missed-offers-away onto server.Config, where 0
// is the default and negative is never.
func missedOffersAway(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
