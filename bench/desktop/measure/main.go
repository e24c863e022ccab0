//go:build linux

package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.hello, "hello", "bench/desktop/hello/build/bin/hello", "the hello-world binary")
	flag.StringVar(&cfg.app, "app", "build/bin/switchboard", "the Switchboard binary")
	flag.StringVar(&cfg.configDir, "config", "", "seeded Switchboard config dir, copied afresh for every start; empty: measure the hello-world only")
	flag.IntVar(&cfg.messages, "messages", 0, "messages in the seeded cache (for the heading)")
	flag.IntVar(&cfg.runs, "runs", 5, "starts of each app")
	flag.DurationVar(&cfg.idle, "idle", 10*time.Second, "idle time after the report before memory is measured")
	flag.DurationVar(&cfg.timeout, "timeout", 90*time.Second, "longest wait for an app's report")
	flag.StringVar(&cfg.helloInstaller, "hello-installer", "", "the hello-world's NSIS installer")
	flag.StringVar(&cfg.appInstaller, "app-installer", "", "Switchboard's NSIS installer")
	flag.StringVar(&cfg.work, "work", "", "directory for reports, config copies and logs (default: a new temporary one)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("measure: ")
	if err := run(cfg); err != nil {
		log.Fatal(err)
	}
}

type config struct {
	hello, app     string
	configDir      string
	messages       int
	runs           int
	idle, timeout  time.Duration
	helloInstaller string
	appInstaller   string
	work           string
}

// start is one measured start of an app.
type start struct {
	readyMS float64 // exec to the app's ready mark
	domMS   float64 // exec to DOMContentLoaded (Switchboard only)
	// Switchboard only, exec to: its script running, React's first render
	// in the DOM, the signed-in workspace in the DOM.
	scriptMS, firstMS, workspaceMS float64
	pssKB                          int64
	procs                          []proc
	// others are WebKitGTK processes outside the app's tree at the time its
	// memory was read.
	others   []string
	report   appReport
	duration time.Duration
}

// appReport is what either app writes; the hello-world fills only
// DOMReadyUnixMS.
type appReport struct {
	DOMReadyUnixMS         int64 `json:"dom_ready_unix_ms"`
	DOMContentLoadedUnixMS int64 `json:"dom_content_loaded_unix_ms"`
	ScriptUnixMS           int64 `json:"script_unix_ms"`
	FirstRenderUnixMS      int64 `json:"first_render_unix_ms"`
	WorkspaceUnixMS        int64 `json:"workspace_unix_ms"`
	ListReadyUnixMS        int64 `json:"list_ready_unix_ms"`
	ListItems              int   `json:"list_items"`
	Open                   *struct {
		ConversationID string  `json:"conversation_id"`
		LastSeq        int64   `json:"last_seq"`
		MS             float64 `json:"ms"`
		PaintMS        float64 `json:"paint_ms"`
		Rows           int     `json:"rows"`
		PageMS         float64 `json:"page_ms"`
	} `json:"open"`
	Search []struct {
		Query string  `json:"query"`
		MS    float64 `json:"ms"`
		Hits  int     `json:"hits"`
	} `json:"search"`
	// Scroll is each step up the open transcript until painted.
	Scroll []float64 `json:"scroll"`
	Errors []string  `json:"errors"`
}

func run(cfg config) error {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("no display: run under xvfb-run")
	}
	if cfg.work == "" {
		dir, err := os.MkdirTemp("", "switchboard-bench-desktop-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.work = dir
	}
	var hello, app []start
	for i := 1; i <= cfg.runs; i++ {
		// The two apps take turns, so a burst of other work on the machine
		// lands on both.
		s, err := measure(cfg, "hello", i)
		if err != nil {
			return err
		}
		hello = append(hello, s)
		if cfg.configDir == "" {
			continue
		}
		s, err = measure(cfg, "switchboard", i)
		if err != nil {
			return err
		}
		app = append(app, s)
	}
	printRuns(hello, app)
	printTable(cfg, hello, app)
	return nil
}

// measure starts one app, waits for its report, lets it idle, measures its
// memory and ends it.
func measure(cfg config, name string, i int) (start, error) {
	var s start
	dir := filepath.Join(cfg.work, fmt.Sprintf("%s-%d", name, i))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return s, err
	}
	reportPath := filepath.Join(dir, "report.json")
	logf, err := os.Create(filepath.Join(dir, "app.log"))
	if err != nil {
		return s, err
	}
	defer logf.Close()

	env := cleanEnv("SWITCHBOARD_SERVER_URL", "SWITCHBOARD_USERNAME", "SWITCHBOARD_PASSWORD",
		"SWITCHBOARD_CONFIG_DIR", "SWITCHBOARD_BENCH_REPORT", "SWITCHBOARD_BENCH_IDLE")
	env = append(env, "SWITCHBOARD_BENCH_REPORT="+reportPath)
	bin := cfg.hello
	if name == "switchboard" {
		bin = cfg.app
		conf := filepath.Join(dir, "config")
		if err := os.CopyFS(conf, os.DirFS(cfg.configDir)); err != nil {
			return s, fmt.Errorf("copy the seeded config dir: %w", err)
		}
		env = append(env, "SWITCHBOARD_CONFIG_DIR="+conf, "SWITCHBOARD_KEYRING=file")
	}
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so that ending it ends its web view processes.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return s, fmt.Errorf("start %s: %w", name, err)
	}
	// exited holds the app's exit once it has exited; whoever takes it
	// puts it back, so that stop, deferred, still sees it.
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer stop(cmd, exited)

	b, err := waitReport(reportPath, cfg.timeout, exited)
	if err != nil {
		return s, fmt.Errorf("%s run %d: %w (log: %s)", name, i, err, logf.Name())
	}
	s.duration = time.Since(t0)
	if err := json.Unmarshal(b, &s.report); err != nil {
		return s, fmt.Errorf("%s run %d: report %s: %w", name, i, reportPath, err)
	}
	since := func(unixMS int64) float64 {
		if unixMS == 0 {
			return math.NaN()
		}
		return float64(unixMS) - float64(t0.UnixMicro())/1000
	}
	if name == "hello" {
		s.readyMS = since(s.report.DOMReadyUnixMS)
	} else {
		s.readyMS = since(s.report.ListReadyUnixMS)
		s.domMS = since(s.report.DOMContentLoadedUnixMS)
		s.scriptMS = since(s.report.ScriptUnixMS)
		s.firstMS = since(s.report.FirstRenderUnixMS)
		s.workspaceMS = since(s.report.WorkspaceUnixMS)
		for _, e := range s.report.Errors {
			log.Printf("switchboard run %d: %s", i, e)
		}
	}

	select {
	case err := <-exited:
		exited <- err
		return s, fmt.Errorf("%s run %d exited while idle: %v (log: %s)", name, i, err, logf.Name())
	case <-time.After(cfg.idle):
	}
	s.procs, err = tree(cmd.Process.Pid)
	if err != nil {
		return s, err
	}
	for _, p := range s.procs {
		s.pssKB += p.pssKB
	}
	s.others = otherWebViews(s.procs)
	return s, nil
}

// cleanEnv returns the environment without the named variables.
func cleanEnv(drop ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, k) {
			env = append(env, kv)
		}
	}
	return env
}

// waitReport polls for the report file, which the apps write whole (by
// renaming a temporary file).
func waitReport(path string, timeout time.Duration, exited chan error) ([]byte, error) {
	deadline := time.After(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 {
			return b, nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		select {
		case err := <-exited:
			exited <- err
			return nil, fmt.Errorf("exited before reporting: %v", err)
		case <-deadline:
			return nil, fmt.Errorf("no report in %s", timeout)
		case <-tick.C:
		}
	}
}

// stop ends the app: SIGTERM, then SIGKILL to its process group when it has
// not exited within 5 s, and to whatever of the group is left after it.
func stop(cmd *exec.Cmd, exited <-chan error) {
	pgid := cmd.Process.Pid
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-exited
	}
	// The web view processes outlive the app for a moment. The next start
	// must not find them: they would share its libraries' pages and lower
	// its PSS, and Switchboard keeps a single instance. Zombies (left for
	// init to reap) hold no memory and do not count.
	for range 250 {
		live := groupAlive(pgid)
		if len(live) == 0 {
			return
		}
		for _, pid := range live {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
	log.Printf("processes of group %d still alive after SIGKILL: %v", pgid, groupAlive(pgid))
}
