# Switchboard — the two commands are `make run` and `make test` (see README.md).
# Both install what is missing first (scripts/deps.sh), so they work on a fresh
# Debian 12 machine.

SHELL      := bash
VERSION    := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GO_LDFLAGS := -s -w -X switchboard/internal/buildinfo.Version=$(VERSION)
WAILS      := go tool wails
WAILS_TAGS := webkit2_41

.PHONY: run test check deps types bindings frontend widget server desktop build dist version bench bench-channel bench-cluster bench-desktop bench-bot bench-compare bench-store clean

run: deps build ## build everything, start the demo server and the signed-in desktop app
	@scripts/run.sh

test: deps ## vet, unit tests, fuzz, frontend tests, cross-builds, end-to-end tests
	@scripts/test.sh

check: deps ## gofmt, vet, unit tests with -race, both Vitest suites: the quick check
	@scripts/check.sh

deps:
	@scripts/deps.sh

# The TypeScript wire types of the desktop UI and the widget, generated from
# package protocol (internal/tsgen). A test fails while they are out of date.
types:
	@echo "==> generating the TypeScript wire types from package protocol"
	@go generate ./protocol

# Wails' bindings of app.App and its runtime (frontend/wailsjs), generated
# from the Go code; src/api checks its declarations against them (tsc), and
# scripts/check-bindings.sh fails while they are out of date. make desktop
# does not regenerate them (-skipbindings): the build would rewrite the
# working tree, and after the UI it embeds was already type-checked.
bindings:
	@echo "==> generating the desktop bindings (frontend/wailsjs)"
	@$(WAILS) generate module -nocolour -tags $(WAILS_TAGS) >/dev/null
	@# The generator marks some of its files executable, not always the same ones.
	@chmod -R a-x+X frontend/wailsjs

frontend:
	@echo "==> building the desktop UI (frontend/dist)"
	@cd frontend && npm run build --silent

widget:
	@echo "==> building the customer widget (backend/widget/dist)"
	@cd backend/widget && npm run build --silent

server: widget
	@echo "==> building bin/switchboard-server (CGO_ENABLED=0)"
	@CGO_ENABLED=0 go build -trimpath -ldflags '$(GO_LDFLAGS)' -o bin/switchboard-server ./backend/cmd/switchboard-server

desktop: frontend
	@echo "==> building the desktop app build/bin/switchboard (Wails, $(WAILS_TAGS))"
	@$(WAILS) build -s -skipbindings -m -nosyncgomod -tags $(WAILS_TAGS) -ldflags "-X switchboard/internal/buildinfo.Version=$(VERSION)" >/dev/null
	@test -x build/bin/switchboard

build: server desktop

dist: deps build ## Linux binary and the Windows NSIS installer
	@scripts/dist.sh

# make version V=X.Y.Z sets the one version number: VERSION and wails.json's
# info.productVersion (the Windows version resource) together.
version:
	@scripts/set-version.sh $(V)

# The channel benchmark (docs/benchmarks.md); not part of make test. It starts
# the demo server on a free loopback port with a fresh data directory and
# drives it with bin/switchboard-bench. BENCH_FLAGS passes sizes, e.g.
#   make bench-channel BENCH_FLAGS="-conns 19900 -customers 1200 -duration 30s"
# PROFILE=1 runs the server in-process in the bench binary instead and writes
# a CPU profile of the throughput window to bin/bench-cpu.pprof
# (go tool pprof -top bin/switchboard-bench bin/bench-cpu.pprof); SERVE_FLAGS
# passes server flags, e.g. SERVE_FLAGS="--send-rate 1e6" with PROFILE=1.
BENCH_FLAGS ?=
SERVE_FLAGS ?=
bench-channel: server
	@echo "==> building bin/switchboard-bench"
	@CGO_ENABLED=0 go build -trimpath -ldflags '$(GO_LDFLAGS)' -o bin/switchboard-bench ./backend/cmd/switchboard-bench
	@set -euo pipefail; \
	ulimit -n "$$(ulimit -Hn)"; \
	data=$$(mktemp -d -t switchboard-bench-XXXXXX); \
	port=$$(bin/switchboard-bench freeport); \
	if [ -n "$(PROFILE)" ]; then \
	  srv=(bin/switchboard-bench serve --cpuprofile "$(CURDIR)/bin/bench-cpu.pprof"); extra=(-profile-signal); \
	else \
	  srv=(bin/switchboard-server serve); extra=(); \
	fi; \
	"$${srv[@]}" --demo --addr "127.0.0.1:$$port" --data "$$data/data" --log-level warn $(if $(PROFILE),,--routing pick --demo-capacity 1000000) $(SERVE_FLAGS) >"$$data/server.log" 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null || true; wait $$pid 2>/dev/null || true; rm -rf "$$data"' EXIT; \
	echo "==> server pid $$pid on 127.0.0.1:$$port, data in $$data, open-file limit $$(ulimit -n)"; \
	rc=0; bin/switchboard-bench run -server "http://127.0.0.1:$$port" -server-pid $$pid "$${extra[@]}" $(BENCH_FLAGS) || rc=$$?; \
	if [ $$rc -ne 0 ]; then echo "==> server log (last lines):"; tail -n 20 "$$data/server.log"; fi; \
	exit $$rc

# The channel benchmark's throughput phase against the server of other git
# revisions and this tree, alternating (docs/benchmarks.md), e.g.
#   make bench-compare REFS="16176aa" BENCH_FLAGS="-customers 1200 -rate 4"
bench-compare: server
	@CGO_ENABLED=0 go build -trimpath -ldflags '$(GO_LDFLAGS)' -o bin/switchboard-bench ./backend/cmd/switchboard-bench
	@scripts/bench-compare.sh $(REFS)

# The cluster benchmark (docs/benchmarks.md); not part of make test. It
# builds the server, bin/switchboard-bench and bin/nats-server; the bench
# starts a throwaway PostgreSQL cluster and NATS on loopback, then 1, 2 and 3
# nodes on them in turn (and one node on SQLite) and runs the throughput
# phase against each. BENCH_FLAGS passes sizes, e.g.
#   make bench-cluster BENCH_FLAGS="-customers 600 -rate 4 -nodes 1,2"
bench-cluster: server
	@echo "==> building bin/switchboard-bench and bin/nats-server"
	@CGO_ENABLED=0 go build -trimpath -ldflags '$(GO_LDFLAGS)' -o bin/switchboard-bench ./backend/cmd/switchboard-bench
	@CGO_ENABLED=0 go build -trimpath -o bin/nats-server github.com/nats-io/nats-server/v2
	@set -euo pipefail; \
	ulimit -n "$$(ulimit -Hn)"; \
	echo "==> $$(nproc) CPUs ($$(lscpu | sed -n 's/^Model name: *//p')), $$(free -h | awk '/^Mem:/ {print $$2}') RAM, open-file limit $$(ulimit -n), load average $$(cut -d' ' -f1-3 /proc/loadavg)"; \
	bin/switchboard-bench cluster -server-bin bin/switchboard-server -nats-bin bin/nats-server $(BENCH_FLAGS)

# The desktop benchmark (docs/benchmarks.md); not part of make test. It builds
# a bare Wails hello-world beside the app, both apps' Windows installers and a
# seeded 100,000-message cache, and measures both apps under Xvfb. RUNS (5)
# starts of each app; IDLE (10) seconds idle before their memory is read.
# The kb bot's latency per answer over its evaluation set (p50/p95/p99 in
# microseconds); see docs/benchmarks.md.
# The store's append path alone (docs/benchmarks.md): group commits of what a
# busy server appends, with the process's CPU time per message.
bench-store:
	@go test ./backend/store/sqlite -run '^$$' -bench 'AppendActive' -benchtime 60000x -count 2

bench-bot:
	@go test ./backend/bot -run '^$$' -bench BenchmarkAnswerEvalSet -benchtime 20x -count 3

bench-desktop: desktop
	@scripts/bench-desktop.sh

clean:
	rm -rf bin build/bin frontend/dist/assets frontend/dist/index.html backend/widget/dist/*.js backend/widget/dist/*.css backend/widget/dist/*.html
