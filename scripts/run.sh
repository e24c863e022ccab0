#!/usr/bin/env bash
# `make run`: starts the demo server (SQLite under ./.data) and, when there is a
# display, the desktop app signed in to it as the demo agent carol.
set -euo pipefail
cd "$(dirname "$0")/.."
addr=${SWITCHBOARD_ADDR:-127.0.0.1:8080}
data=${SWITCHBOARD_DATA:-.data}
url="http://$addr"

bin/switchboard-server serve --demo --addr "$addr" --data "$data" &
srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$url/healthz" >/dev/null || { echo "the server did not start"; exit 1; }

if [[ -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
  echo "==> starting the desktop app, signed in to $url as carol"
  SWITCHBOARD_SERVER_URL=$url SWITCHBOARD_USERNAME=carol SWITCHBOARD_PASSWORD=switchboard-demo \
    build/bin/switchboard || true
  echo "==> the desktop app closed; the server keeps running (Ctrl-C stops it)"
else
  echo "==> no display: the server runs alone. Customer demo: $url/demo"
  echo "    Sign in from a desktop app elsewhere with the credentials above. Ctrl-C stops."
fi
wait $srv
