#!/usr/bin/env bash
# The whole test suite behind `make test`. Each step says what it runs; the run
# stops at the first failing step and ends with a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0
step() {
  local name=$1; shift
  printf '\n==> %s\n' "$name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf -- '--- ok: %s (%ds)\n' "$name" $((SECONDS - t0))
  else
    printf -- '--- FAILED: %s\n' "$name"
    printf '\nsteps: %d passed, 1 failed\n' "$passed"
    exit 1
  fi
}

export WAILS_TAGS=webkit2_41
tags=(-tags "$WAILS_TAGS")
# Our Go packages: `./...` would also walk into node_modules, where some npm
# packages ship Go files of their own.
mapfile -t pkgs < <(go list ./... | grep -v /node_modules/)

# The Go packages embed the built UI and widget, so build those first.
step "build the desktop UI and the widget" make --no-print-directory frontend widget
step "gofmt" bash -c 'out=$(gofmt -l $(git ls-files "*.go")); [[ -z $out ]] || { echo "gofmt needed: $out"; false; }'
step "go vet" go vet "${tags[@]}" "${pkgs[@]}"
step "desktop bindings up to date (frontend/wailsjs)" scripts/check-bindings.sh
# The server's package takes the longest under the race detector: about
# 4½ min on two cores since its test servers hash passwords with a small
# argon2id memory (11–13 min before); the timeout leaves room for a slow
# shared disk.
step "go test -race" go test -race -count=1 -timeout 30m "${tags[@]}" "${pkgs[@]}"
# The fuzzers run for a number of inputs, not a time: with -fuzztime as a
# duration, Go 1.26's fuzzing coordinator can report its own deadline as a
# failure when the machine is busy at the end of the window (golang/go#75804,
# fixed in Go 1.27). Each count is about what a quiet run here gets through
# in the time it was given before.
step "fuzz the frame decoder" go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 800000x ./protocol
step "fuzz the frame encoder against encoding/json" go test -run '^$' -fuzz '^FuzzEncode$' -fuzztime 200000x ./protocol
step "fuzz the sealed-value and sealed-file decoders" go test -run '^$' -fuzz '^FuzzOpen$' -fuzztime 1000000x ./backend/seal
step "key-encryption key on a SoftHSM token (PKCS#11, cgo)" env CGO_ENABLED=1 go test -race -count=1 -tags pkcs11 ./backend/seal/pkcs11kek
step "fuzz the identity token verifier" go test -run '^$' -fuzz '^FuzzVerify$' -fuzztime 300000x ./backend/identity
step "fuzz the relay push decoder" go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 120000x ./backend/relay
step "fuzz the Chinese script folding" go test -run '^$' -fuzz '^FuzzSimplify$' -fuzztime 250000x ./backend/hanzi
step "fuzz the full-width and spacing folding" go test -run '^$' -fuzz '^FuzzNarrow$' -fuzztime 250000x ./backend/hanzi
step "cross-build for Windows" env GOOS=windows GOARCH=amd64 go build -o /dev/null "${pkgs[@]}"
# The desktop entry needs cgo on macOS (WebKit); every other package must build without it.
step "cross-build for macOS (packages without cgo)" bash -c \
  'GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go build -o /dev/null $(go list ./... | grep -v /node_modules/ | grep -vx switchboard)'
step "server builds with CGO_ENABLED=0" env CGO_ENABLED=0 go build -o /dev/null ./backend/...
step "frontend unit tests (vitest)" bash -c 'cd frontend && npm test --silent'
step "frontend lint (eslint)" bash -c 'cd frontend && npm run lint --silent'
step "widget unit tests (vitest)" bash -c 'cd backend/widget && npm test --silent'
step "build the server and the desktop binary" make --no-print-directory server desktop
step "server under a memory limit: login, image, upload and connection floods" scripts/test-memlimit.sh bin/switchboard-server
step "macOS bundle assets, configuration profile and workflow" scripts/test-darwin-assets.sh
step "Linux packages: build, inspect, install with dpkg, run under Xvfb, purge" scripts/test-dist-linux.sh
step "Windows installers: sign, verify, MSI tables, install/upgrade/uninstall under Wine" scripts/test-dist-windows.sh
step "end-to-end: customer widget + agent app in Chromium" scripts/e2e-flow.sh
step "end-to-end: packaged desktop app under Xvfb" scripts/e2e-desktop.sh

printf '\nsteps: %d passed, 0 failed\n' "$passed"
