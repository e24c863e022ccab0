#!/usr/bin/env bash
# Starts the packaged desktop binary (build/bin/switchboard) under Xvfb, signed
# in to a demo server, takes a screenshot of the screen and checks that it shows
# a rendered window: many distinct colours, not a blank or single-colour frame.
set -euo pipefail
cd "$(dirname "$0")/.."
out=e2e/out; mkdir -p "$out"
work=$(mktemp -d)
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
cleanup() {
  [[ -n ${app_pid:-} ]] && kill -- -"$app_pid" 2>/dev/null || true
  [[ -n ${srv_pid:-} ]] && kill "$srv_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

bin/switchboard-server serve --demo --addr "127.0.0.1:$port" --data "$work/data" >"$out/desktop-server.log" 2>&1 &
srv_pid=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

shot=$out/desktop-window.png
rm -f "$shot"
setsid env SWITCHBOARD_CONFIG_DIR="$work/config" SWITCHBOARD_SERVER_URL="http://127.0.0.1:$port" \
  SWITCHBOARD_USERNAME=carol SWITCHBOARD_PASSWORD=switchboard-demo \
  xvfb-run -a -s "-screen 0 1280x800x24" bash -c \
  'build/bin/switchboard & app=$!; sleep 10; import -window root "$0"; kill $app; wait $app 2>/dev/null; true' "$shot" \
  >"$out/desktop-app.log" 2>&1 &
app_pid=$!
wait "$app_pid" || true
app_pid=

[[ -s $shot ]] || { echo "no screenshot taken; see $out/desktop-app.log"; exit 1; }
colours=$(identify -format '%k' "$shot")
size=$(identify -format '%wx%h' "$shot")
echo "screenshot $shot: $size, $colours distinct colours"
if ((colours < 200)); then
  echo "the window looks blank (fewer than 200 colours); see $out/desktop-app.log"
  exit 1
fi
if [[ ${UPDATE_SCREENSHOTS:-} == 1 ]]; then mkdir -p docs/screenshots && cp "$shot" docs/screenshots/desktop-window.png; fi
