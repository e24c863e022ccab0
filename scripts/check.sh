#!/usr/bin/env bash
# The quick check behind `make check`, for the edit-test loop: gofmt, go vet,
# the Go unit tests with -race and both Vitest suites. It leaves out what only
# `make test` runs: the integration suites that start whole servers, clusters
# and processes (backend/server, backend/cmd/switchboard-server,
# backend/store/postgres, internal/faulttest), the fuzzers, the builds and
# installers, and the browser and desktop end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

t0=$SECONDS
step() {
  local name=$1; shift
  printf '\n==> %s\n' "$name"
  local s=$SECONDS
  if "$@"; then
    printf -- '--- ok: %s (%ds)\n' "$name" $((SECONDS - s))
  else
    printf -- '--- FAILED: %s\n' "$name"
    exit 1
  fi
}

tags=(-tags webkit2_41)
mapfile -t pkgs < <(go list ./... | grep -v /node_modules/)
mapfile -t units < <(printf '%s\n' "${pkgs[@]}" | grep -v -x -e switchboard/backend/server \
  -e switchboard/backend/cmd/switchboard-server -e switchboard/backend/store/postgres -e switchboard/internal/faulttest)

# The Go packages embed the built UI and widget: build them once if missing.
[[ -f frontend/dist/index.html ]] || step "build the desktop UI" make --no-print-directory frontend
[[ -f backend/widget/dist/switchboard-widget.js ]] || step "build the widget" make --no-print-directory widget
step "gofmt" bash -c 'out=$(gofmt -l $(git ls-files "*.go")); [[ -z $out ]] || { echo "gofmt needed: $out"; false; }'
step "go vet" go vet "${tags[@]}" "${pkgs[@]}"
step "go test -race -short (unit tests)" go test -race -short -count=1 -timeout 10m "${tags[@]}" "${units[@]}"
step "desktop UI unit tests (vitest)" bash -c 'cd frontend && npm test --silent'
step "widget unit tests (vitest)" bash -c 'cd backend/widget && npm test --silent'
printf '\ncheck passed in %ds\n' $((SECONDS - t0))
