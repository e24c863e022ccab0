#!/usr/bin/env bash
# Fails when frontend/wailsjs, Wails' bindings of app.App and its runtime,
# differs from what `wails generate module` makes of the Go code now;
# `make bindings` regenerates it. The generator builds and runs the app
# with the bindings tag, so it needs cgo and, on Linux, the WebKitGTK
# headers (scripts/deps.sh) and WAILS_TAGS=webkit2_41; it needs no display.
# It generates in a copy of the working tree, which it leaves alone.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d -t switchboard-bindings-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# The working tree as git sees it (tracked and new files, not ignored ones
# such as node_modules), without the bindings the generator writes afresh.
mkdir "$tmp/src"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do
    [[ $f == frontend/wailsjs/* || ! -e $f ]] || printf '%s\0' "$f"
  done |
  tar --null -T - -cf - | tar -xf - -C "$tmp/src"

# The generated program runs main: keep what app.New reads and writes in
# the temporary directory.
if ! (cd "$tmp/src" && SWITCHBOARD_CONFIG_DIR="$tmp/config" \
  go tool wails generate module -nocolour -tags "${WAILS_TAGS:-webkit2_41}") >"$tmp/generate.log" 2>&1; then
  cat "$tmp/generate.log"
  echo "wails generate module failed"
  exit 1
fi

if ! diff -ru frontend/wailsjs "$tmp/src/frontend/wailsjs"; then
  echo "frontend/wailsjs is out of date: run make bindings and commit the result"
  exit 1
fi
