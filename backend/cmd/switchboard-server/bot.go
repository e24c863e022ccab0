package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"switchboard/backend/bot"
	"switchboard/backend/bot/llm"
	"switchboard/backend/bot/webhook"
	"switchboard/backend/kb"
	"switchboard/backend/kbedit"
	"switchboard/backend/notice"
	"switchboard/backend/server"
)

// botConfig is what the serve flags say about the bot.
type botConfig struct {
	kind                         string
	kb                           *kb.KB
	timeout                      time.Duration // 0: the kind's default
	llmURL, llmModel, llmKeyEnv  string
	webhookURL, webhookSecretEnv string
}

// Default time limits of the bots (--bot-timeout): the knowledge base
// answers in milliseconds; a model writes for seconds; a webhook is
// someone's server, with room for a retry.
const (
	defaultKBTimeout      = 3 * time.Second
	defaultLLMTimeout     = 20 * time.Second
	defaultWebhookTimeout = 10 * time.Second
)

// botTimeout is the time limit of one answer (server.Config.BotTimeout).
func (c botConfig) botTimeout() time.Duration {
	switch {
	case c.timeout > 0:
		return c.timeout
	case c.kind == "llm":
		return defaultLLMTimeout
	case c.kind == "webhook":
		return defaultWebhookTimeout
	}
	return defaultKBTimeout
}

// newBot builds the bot the flags ask for.
func newBot(c botConfig) (bot.Bot, error) {
	switch c.kind {
	case "", "kb":
		return bot.NewKB(c.kb, bot.Options{})
	case "llm":
		ix, err := kb.NewIndex(c.kb)
		if err != nil {
			return nil, err
		}
		var key string
		if c.llmKeyEnv != "" {
			if key = os.Getenv(c.llmKeyEnv); key == "" {
				return nil, fmt.Errorf("--llm-key-env: %s is not set", c.llmKeyEnv)
			}
		}
		// The server's time limit bounds each answer; the bot's own
		// timeout, for callers without one, is the same.
		return llm.New(llm.Config{URL: c.llmURL, Model: c.llmModel, APIKey: key, Index: ix, Timeout: c.botTimeout()})
	case "webhook":
		var secret []byte
		if c.webhookSecretEnv != "" {
			if secret = []byte(os.Getenv(c.webhookSecretEnv)); len(secret) == 0 {
				return nil, fmt.Errorf("--bot-webhook-secret-env: %s is not set", c.webhookSecretEnv)
			}
		}
		return webhook.New(webhook.Config{URL: c.webhookURL, Secret: secret, Timeout: c.botTimeout()})
	}
	return nil, fmt.Errorf("unknown --bot %q (want kb, llm or webhook)", c.kind)
}

// serverBot adapts a bot to the server's interface field by field, so that
// either side can grow fields without breaking the other.
func serverBot(b bot.Bot) server.Bot {
	return server.BotFunc(func(ctx context.Context, in server.BotInput) (server.BotReply, error) {
		r, err := b.Answer(ctx, bot.Input{
			ConversationID: in.ConversationID,
			Text:           in.Text,
			LastTeam:       in.LastTeam,
			Ext:            in.Ext,
			Verified:       in.Verified,
			LowConfidence:  in.LowConfidence,
			History:        botTurns(in.History),
		})
		return server.BotReply{
			Text:        r.Text,
			Locale:      r.Locale,
			Handoff:     r.Handoff,
			Reason:      r.Reason,
			Team:        r.Team,
			EntryID:     r.EntryID,
			Score:       r.Score,
			Suggestions: r.Suggestions,
		}, err
	})
}

func botTurns(h []server.BotTurn) []bot.Turn {
	if len(h) == 0 {
		return nil
	}
	out := make([]bot.Turn, len(h))
	for i, t := range h {
		out[i] = bot.Turn{Role: t.Role, Text: t.Text}
	}
	return out
}

// swapBot answers with the bot built from the newest knowledge base. The
// bot is swapped whole behind an atomic pointer, so an answer in flight
// finishes with the knowledge base it started with and none ever mixes two.
// The knowledge base itself is kept beside it to name intents.
type swapBot struct {
	cur atomic.Pointer[bot.Bot]
	kb  atomic.Pointer[kb.KB]
}

var _ bot.Bot = (*swapBot)(nil)

func newSwapBot(b bot.Bot, k *kb.KB) *swapBot {
	s := &swapBot{}
	s.set(b, k)
	return s
}

func (s *swapBot) set(b bot.Bot, k *kb.KB) {
	s.kb.Store(k)
	s.cur.Store(&b)
}

// index returns the search index of the current bot, nil when it is not
// the knowledge-base bot.
func (s *swapBot) index() *kb.Index {
	if b, ok := (*s.cur.Load()).(*bot.KBBot); ok {
		return b.Index()
	}
	return nil
}

// intentLabel names the entry with id from the current knowledge base
// (server.Config.IntentLabel).
func (s *swapBot) intentLabel(id string) map[string]string {
	if k := s.kb.Load(); k != nil {
		return k.Label(id)
	}
	return nil
}

func (s *swapBot) Answer(ctx context.Context, in bot.Input) (bot.Reply, error) {
	return (*s.cur.Load()).Answer(ctx, in)
}

// serveKB picks the knowledge base serve starts with: the --kb file, else
// the imported one (published in the store, see package kb; a kb.json left
// in the data directory by an older version is published first), else the
// demo one with --demo, else none. from says which, for the log.
func serveKB(ctx context.Context, flagPath string, demo bool, shared *kb.Shared, st kb.Publisher, legacy *kb.Watcher) (k *kb.KB, from string, err error) {
	if flagPath != "" {
		k, err = kb.LoadFile(flagPath)
		return k, flagPath, err
	}
	if k, err = shared.Load(ctx); k != nil || err != nil {
		return k, "store", err
	}
	if _, ok, err := st.Setting(ctx, kb.SumKey); err != nil || ok {
		// One is published but failed to load (and was reported), or
		// reading failed.
		return nil, "", err
	}
	if data, err := os.ReadFile(legacy.Path()); err == nil {
		if _, err := kb.Publish(ctx, st, data); err != nil {
			return nil, "", fmt.Errorf("%s: %w", legacy.Path(), err)
		}
		k, err = shared.Load(ctx)
		return k, legacy.Path() + " (now in the store)", err
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, "", err
	}
	if demo {
		return kb.Demo(), "demo", nil
	}
	return nil, "", nil
}

// liveKB is the knowledge base the bot answers from, following the one
// published in the store (kb import, kb_edit): each new one is built into a
// bot and swapped into live. A bot that answers without a knowledge base
// (webhook) is not rebuilt.
func liveKB(shared *kb.Shared, k *kb.KB, c botConfig, live *swapBot, log *slog.Logger) *kbedit.Live {
	return kbedit.NewLive(shared, k, live.index(), func(k *kb.KB) (*kb.Index, error) {
		if c.kind == "webhook" {
			return nil, nil
		}
		c.kb = k
		b, err := newBot(c)
		if err != nil {
			return nil, err
		}
		live.set(b, k)
		log.Info("knowledge base reloaded", "entries", len(k.Entries), "version", k.Version)
		return live.index(), nil
	})
}

// watchKB reloads the imported knowledge base into kl whenever one is
// published: at once when kick receives (a change notice), else at the
// next check every interval (0: only on notices), until ctx is done or the
// returned stop is called; stop waits for the watcher to end.
func watchKB(ctx context.Context, kl *kbedit.Live, interval time.Duration, kick <-chan struct{}, log *slog.Logger) (stop func()) {
	if interval <= 0 {
		interval = 24 * time.Hour
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		kl.Run(ctx, interval, kick, log)
	}()
	return func() {
		cancel()
		<-done
	}
}

const kbUsage = `Usage:
  switchboard-server kb check FILE                validate a knowledge base in kb.json format and count its entries
  switchboard-server kb import [--data DIR] [--store URL] [--bus URL] FILE
                                                  validate it as check does, then publish it in the store
                                                  (and as DIR/kb.json); running servers load it at once
                                                  (or within their --kb-poll interval); it is a new version
  switchboard-server kb history [--data DIR] [--store URL] [--limit N]
                                                  list the knowledge base's versions, newest first
  switchboard-server kb rollback [--data DIR] [--store URL] [--bus URL] VERSION
                                                  publish version VERSION's content again, as a new version
  switchboard-server kb add-question [--data DIR] [--store URL] [--bus URL] ENTRY --lang zh|en TEXT
                                                  add a sample question to entry ENTRY, as a new version
  switchboard-server kb report [--data DIR] [--store URL] [--limit N]
                                                  print the questions the bot missed, grouped, largest group first
`

// kbCommand runs the knowledge-base admin commands.
func kbCommand(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 2 && args[0] == "check":
		k, _, err := checkKBFile(args[1])
		if err != nil {
			fmt.Fprintf(stderr, "kb check: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "knowledge base %q (%s), version %d: valid\n\n", k.Store.ZH, k.Store.EN, k.Version)
		printKBCounts(stdout, k)
		return 0
	case len(args) > 0 && args[0] == "import":
		return kbImport(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "history":
		return kbHistory(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "rollback":
		return kbRollback(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "add-question":
		return kbAddQuestion(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "report":
		return kbReport(args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, kbUsage)
	return 2
}

// kbImport validates a knowledge base file exactly as kb check does and
// publishes it, byte for byte, in the store for every node (and as the data
// directory's kb.json), then tells the running servers.
func kbImport(args []string, stdout, stderr io.Writer) int {
	c, file, ok := parseDataFile("kb import", "", args, stderr)
	if !ok {
		return 2
	}
	dataDir := c.Data
	_, data, err := checkKBFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "kb import: %v\n", err)
		return 1
	}
	ctx := context.Background()
	// The data directory holds the SQLite store and the copy.
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		fmt.Fprintf(stderr, "kb import: %v\n", err)
		return 1
	}
	st, err := openStore(ctx, c, nil)
	if err != nil {
		fmt.Fprintf(stderr, "kb import: %v\n", err)
		return 1
	}
	defer st.Close()
	k, err := kb.Publish(ctx, st, data)
	if err != nil {
		fmt.Fprintf(stderr, "kb import: %v\n", err)
		return 1
	}
	if _, err := kb.Install(dataDir, data); err != nil {
		fmt.Fprintf(stderr, "warning: kb import: keep a copy in the data directory: %v\n", err)
	}
	recordAdmin(ctx, st, "kb.import", fmt.Sprintf("file=%s version=%d entries=%d", file, k.Version, len(k.Entries)), stderr)
	langs, teams := kbSummary(k)
	fmt.Fprintf(stdout, "imported knowledge base %q (%s), version %d, into the store and %s: %d entries; languages %s; teams %s\n\n",
		k.Store.ZH, k.Store.EN, k.Version, filepath.Join(dataDir, kb.FileName), len(k.Entries),
		strings.Join(langs, ", "), strings.Join(teams, ", "))
	printKBCounts(stdout, k)
	notifyServers(ctx, c, notice.Notice{Kind: notice.KB}, stdout, stderr)
	return 0
}

// checkKBFile reads and validates a knowledge base file and builds its
// search index, as serve would; it returns the file's bytes too, so that
// what is installed is exactly what was checked.
func checkKBFile(path string) (*kb.KB, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open knowledge base: %w", err)
	}
	k, err := kb.Load(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", path, err)
	}
	if _, err := kb.NewIndex(k); err != nil {
		return nil, nil, err
	}
	return k, data, nil
}

// kbSummary returns the languages in which k can answer (some entry has
// questions and an answer in it) and its teams, sorted.
func kbSummary(k *kb.KB) (langs, teams []string) {
	var zh, en bool
	seen := make(map[string]bool)
	for _, e := range k.Entries {
		zh = zh || len(e.Questions.ZH) > 0 && e.Answer.ZH != ""
		en = en || len(e.Questions.EN) > 0 && e.Answer.EN != ""
		team := e.Team
		if team == "" {
			team = "(none)"
		}
		if !seen[team] {
			seen[team] = true
			teams = append(teams, team)
		}
	}
	if zh {
		langs = append(langs, kb.ZH)
	}
	if en {
		langs = append(langs, kb.EN)
	}
	sort.Strings(teams)
	return langs, teams
}

// printKBCounts prints, per team, the entries, the entries usable in each
// language (with questions and an answer in it) and the sample questions in
// each language.
func printKBCounts(w io.Writer, k *kb.KB) {
	type counts struct{ entries, zh, en, qZH, qEN int }
	byTeam := make(map[string]*counts)
	var total counts
	for _, e := range k.Entries {
		team := e.Team
		if team == "" {
			team = "(none)"
		}
		c := byTeam[team]
		if c == nil {
			c = &counts{}
			byTeam[team] = c
		}
		for _, c := range []*counts{c, &total} {
			c.entries++
			if len(e.Questions.ZH) > 0 && e.Answer.ZH != "" {
				c.zh++
			}
			if len(e.Questions.EN) > 0 && e.Answer.EN != "" {
				c.en++
			}
			c.qZH += len(e.Questions.ZH)
			c.qEN += len(e.Questions.EN)
		}
	}
	teams := make([]string, 0, len(byTeam))
	for t := range byTeam {
		teams = append(teams, t)
	}
	sort.Strings(teams)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TEAM\tENTRIES\tZH ENTRIES\tEN ENTRIES\tZH QUESTIONS\tEN QUESTIONS\t")
	for _, t := range teams {
		c := byTeam[t]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", t, c.entries, c.zh, c.en, c.qZH, c.qEN)
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\t\n", total.entries, total.zh, total.en, total.qZH, total.qEN)
	tw.Flush()
}

// pinnedKB is the live knowledge base as the server sees it. With --kb
// the bot keeps the file's knowledge base: edits are published for the
// other nodes but do not reload this one.
type pinnedKB struct {
	*kbedit.Live
	pinned bool
}

func (p pinnedKB) Reload(ctx context.Context) error {
	if p.pinned {
		return nil
	}
	return p.Live.Reload(ctx)
}
