// Command switchboard-server runs the Switchboard messaging server.
//
//	switchboard-server serve [--addr 127.0.0.1:8080] [--data ./switchboard-data] [--demo] [--kb kb.json] [--kb-poll 2s]
//	                         [--bot kb|llm|webhook] [--llm-url URL --llm-model M --llm-key-env VAR] [--bot-webhook-url URL]
//	switchboard-server kb check FILE
//	switchboard-server kb import [--data DIR] FILE
//	switchboard-server backup [--data DIR] FILE
//	switchboard-server restore [--data DIR] FILE
//	switchboard-server version
//
// SWITCHBOARD_ADDR and SWITCHBOARD_DATA set the defaults of --addr and --data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"switchboard/backend/files"
	"switchboard/backend/kb"
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
  switchboard-server agent list|add|set|passwd ...
                                            manage staff accounts ("agent" alone for help)
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
	case "agent":
		return agentCommand(ctx, args[1:], stdin, stdout, stderr)
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

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("SWITCHBOARD_ADDR", "127.0.0.1:8080"), "listen address (env SWITCHBOARD_ADDR)")
	dataDir := fs.String("data", envOr("SWITCHBOARD_DATA", "./switchboard-data"), "data directory (env SWITCHBOARD_DATA)")
	demo := fs.Bool("demo", false, "seed the demo teams and accounts and answer from the demo knowledge base")
	kbPath := fs.String("kb", "", "knowledge base file in kb.json format (default: DATA/kb.json from \"kb import\", else the demo knowledge base with --demo)")
	kbPoll := fs.Duration("kb-poll", 2*time.Second, "how often to check DATA/kb.json for a newly imported knowledge base; 0 turns reloading off (no effect with --kb)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	sendRate := fs.Float64("send-rate", 20, "messages per second one connection may send (beyond it: rate_limited)")
	sendBurst := fs.Int("send-burst", 40, "messages one connection may send at once")
	idle := fs.Duration("idle-timeout", 5*time.Minute, "an active conversation with no customer message for this long waits for the customer")
	waiting := fs.Duration("waiting-timeout", 10*time.Minute, "a conversation waiting for the customer this long is resolved automatically")
	closeAfter := fs.Duration("close-after", 24*time.Hour, "a resolved conversation closes after this long; until then a customer message reopens it")
	demoCapacity := fs.Int("demo-capacity", 0, "with --demo: the capacity of every demo account instead of its own (for load tests)")
	routing := fs.String("routing", server.RoutingOffer, "offer: queued conversations are offered to the least-loaded online agent; pick: agents pick them from their team queue")
	offerTimeout := fs.Duration("offer-timeout", 30*time.Second, "how long an agent has to accept an offered conversation before it goes to the next agent")
	hoursSpec := fs.String("business-hours", "", `business hours, e.g. "mon-fri 09:00-18:00; sat 10:00-16:00" (default: always open); outside them queued customers are invited to leave a message`)
	timezone := fs.String("timezone", "Local", "time zone of --business-hours, e.g. Asia/Shanghai")
	botKind := fs.String("bot", "kb", "bot answering customers: kb (knowledge base), llm (OpenAI-compatible chat completions) or webhook")
	llmURL := fs.String("llm-url", "", "chat-completions endpoint of --bot llm, e.g. https://api.openai.com/v1")
	llmModel := fs.String("llm-model", "", "model of --bot llm")
	llmKeyEnv := fs.String("llm-key-env", "", "name of the environment variable holding the API key of --bot llm")
	webhookURL := fs.String("bot-webhook-url", "", "URL the messages are POSTed to with --bot webhook")
	maxUpload := fs.Int64("max-upload", 100<<20, "largest file a customer or agent may upload, in bytes (beyond it: file_too_large)")
	uploadTypes := fs.String("upload-types", strings.Join(files.DefaultTypes, ","), `comma-separated media types that may be uploaded; "type/*" or "prefix*" allows a family`)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	allowed, err := files.ParseTypes(*uploadTypes)
	if err != nil {
		fmt.Fprintf(stderr, "serve: bad --upload-types: %v\n", err)
		return 2
	}
	if *maxUpload <= 0 {
		fmt.Fprintf(stderr, "serve: --max-upload must be positive\n")
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "serve: bad --log-level %q\n", *logLevel)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	loc, err := time.LoadLocation(*timezone)
	if err != nil {
		fmt.Fprintf(stderr, "serve: bad --timezone %q: %v\n", *timezone, err)
		return 2
	}
	hours, err := server.ParseHours(*hoursSpec, loc)
	if err != nil {
		fmt.Fprintf(stderr, "serve: bad --business-hours: %v\n", err)
		return 2
	}

	imported := kb.NewWatcher(filepath.Join(*dataDir, kb.FileName))
	k, kbFrom, err := serveKB(*kbPath, *demo, imported)
	if err != nil {
		log.Error("load knowledge base", "err", err)
		return 1
	}
	if k != nil {
		log.Info("knowledge base loaded", "from", kbFrom, "entries", len(k.Entries))
	}
	botCfg := botConfig{
		kind: *botKind, kb: k, llmURL: *llmURL, llmModel: *llmModel, llmKeyEnv: *llmKeyEnv, webhookURL: *webhookURL,
	}
	answerer, err := newBot(botCfg)
	if err != nil {
		log.Error("start bot", "err", err)
		return 1
	}
	log.Info("bot", "kind", *botKind)
	live := newSwapBot(answerer)
	if *kbPath == "" { // --kb pins the knowledge base
		defer watchKB(ctx, imported, *kbPoll, botCfg, live, log)()
	}

	srv, err := server.New(server.Config{
		Addr:      *addr,
		DataDir:   *dataDir,
		Logger:    log,
		Demo:      *demo,
		Bot:       serverBot(live),
		Widget:    widget.Handler(),
		DemoPage:  widget.DemoHandler(),
		SendRate:  *sendRate,
		SendBurst: *sendBurst,

		IdleTimeout:    *idle,
		WaitingTimeout: *waiting,
		CloseAfter:     *closeAfter,
		OfferTimeout:   *offerTimeout,
		Routing:        *routing,
		DemoCapacity:   *demoCapacity,
		BusinessHours:  hours,
		MaxUploadBytes: *maxUpload,
		UploadTypes:    allowed,
	})
	if err != nil {
		log.Error("start", "err", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen", "addr", *addr, "err", err)
		srv.Shutdown(context.Background())
		return 1
	}
	base := "http://" + displayAddr(ln.Addr())
	log.Info("listening", "url", base, "data", *dataDir, "version", buildinfo.Version)
	if *demo {
		printDemo(stdout, base)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-served:
		if err != nil {
			log.Error("serve", "err", err)
			return 1
		}
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	<-served
	log.Info("stopped")
	return 0
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
