package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"runtime/trace"
	"syscall"
	"time"

	"switchboard/backend/bot"
	"switchboard/backend/kb"
	"switchboard/backend/server"
	"switchboard/backend/store"
	_ "switchboard/backend/store/sqlite" // the engine of "sqlite:"
)

// serveMain runs the messaging server in this process, configured like
// "switchboard-server serve --demo", so that it can be profiled: SIGUSR1
// starts a CPU profile into --cpuprofile, SIGUSR2 stops and writes it, and
// SIGHUP writes a heap profile next to it (<cpuprofile>.heap); SIGUSR1 also
// writes one as the CPU profile starts (<cpuprofile>.start.heap).
func serveMain(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	dataDir := fs.String("data", "./switchboard-data", "data directory")
	demo := fs.Bool("demo", false, "seed the demo accounts and answer from the demo knowledge base")
	logLevel := fs.String("log-level", "warn", "log level")
	cpuprofile := fs.String("cpuprofile", "", "CPU profile file, written between SIGUSR1 and SIGUSR2")
	traceFile := fs.String("trace", "", "execution trace file, written between SIGUSR1 and SIGUSR2 (go tool trace)")
	sendRate := fs.Float64("send-rate", 0, "messages per second one connection may send (0: the server's default; 1e6 lifts the limit)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "serve: bad --log-level %q\n", *logLevel)
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	var k *kb.KB
	if *demo {
		k = kb.Demo()
	}
	kbBot, err := bot.NewKB(k, bot.Options{})
	if err != nil {
		log.Error("start", "err", err)
		return 1
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		log.Error("start", "err", err)
		return 1
	}
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(*dataDir, "switchboard.db"), store.OpenOptions{})
	if err != nil {
		log.Error("start", "err", err)
		return 1
	}
	defer st.Close()
	srv, err := server.New(server.Config{
		Addr:    *addr,
		DataDir: *dataDir,
		Store:   st,
		Logger:  log,
		Demo:    *demo,
		// The benchmark measures the channel, not routing: its agents pick
		// their customers' conversations, as many as it runs.
		Routing:      server.RoutingPick,
		DemoCapacity: 1 << 30,
		SendRate:     *sendRate,
		SendBurst:    int(min(*sendRate*2, 1e6)),
		Bot: server.BotFunc(func(ctx context.Context, in server.BotInput) (server.BotReply, error) {
			r, err := kbBot.Answer(ctx, bot.Input{ConversationID: in.ConversationID, Text: in.Text, LastTeam: in.LastTeam})
			return server.BotReply{
				Text: r.Text, Locale: r.Locale, Handoff: r.Handoff, Reason: r.Reason,
				Team: r.Team, EntryID: r.EntryID, Score: r.Score,
			}, err
		}),
	})
	if err != nil {
		log.Error("start", "err", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen", "err", err)
		return 1
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	if sigCPUStart != nil {
		signal.Notify(sigs, sigCPUStart, sigCPUStop, sigHeap)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var prof, traceOut *os.File
	stopProfile := func() {
		if traceOut != nil {
			trace.Stop()
			traceOut.Close()
			log.Warn("execution trace written", "file", traceOut.Name())
			traceOut = nil
		}
		if prof != nil {
			pprof.StopCPUProfile()
			prof.Close()
			log.Warn("cpu profile written", "file", prof.Name())
			prof = nil
		}
	}
	for {
		select {
		case err := <-served:
			stopProfile()
			return exitErr(err)
		case s := <-sigs:
			switch {
			case s == sigCPUStart:
				if *traceFile != "" && traceOut == nil {
					if f, err := os.Create(*traceFile); err != nil {
						log.Error("trace", "err", err)
					} else if err := trace.Start(f); err != nil {
						log.Error("trace", "err", err)
						f.Close()
					} else {
						traceOut = f
					}
				}
				if *cpuprofile == "" || prof != nil {
					continue
				}
				f, err := os.Create(*cpuprofile)
				if err != nil {
					log.Error("cpu profile", "err", err)
					continue
				}
				if err := pprof.StartCPUProfile(f); err != nil {
					log.Error("cpu profile", "err", err)
					f.Close()
					continue
				}
				prof = f
				// The allocations so far, to subtract from a later heap
				// profile: go tool pprof -sample_index=alloc_space
				// -base <cpuprofile>.start.heap … <cpuprofile>.heap.
				if hf, err := os.Create(*cpuprofile + ".start.heap"); err == nil {
					if err := pprof.WriteHeapProfile(hf); err != nil {
						log.Error("heap profile", "err", err)
					}
					hf.Close()
				}
			case s == sigCPUStop:
				stopProfile()
			case s == sigHeap:
				if *cpuprofile == "" {
					continue
				}
				f, err := os.Create(*cpuprofile + ".heap")
				if err != nil {
					log.Error("heap profile", "err", err)
					continue
				}
				// Where the resident memory is, before the GC the profile
				// forces (it also shrinks goroutine stacks).
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				// What each collection's mark walks: the heap's objects
				// that hold pointers, the stacks and the globals.
				scan := []metrics.Sample{{Name: "/gc/scan/heap:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
				metrics.Read(scan)
				log.Warn("memory", "goroutines", runtime.NumGoroutine(), "stack_inuse", ms.StackInuse,
					"heap_inuse", ms.HeapInuse, "heap_alloc", ms.HeapAlloc, "sys", ms.Sys, "num_gc", ms.NumGC,
					"scan_heap", scan[0].Value.Uint64(), "scan_stack", scan[1].Value.Uint64(), "scan_globals", scan[2].Value.Uint64())
				runtime.GC()
				if err := pprof.WriteHeapProfile(f); err != nil {
					log.Error("heap profile", "err", err)
				}
				f.Close()
				log.Warn("heap profile written", "file", f.Name())
			default:
				stopProfile()
				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				err := srv.Shutdown(ctx)
				cancel()
				<-served
				return exitErr(err)
			}
		}
	}
}
