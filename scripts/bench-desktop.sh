#!/usr/bin/env bash
# `make bench-desktop` (docs/benchmarks.md): the desktop app against a bare
# Wails v2 hello-world, both built and measured in this run, under Xvfb:
# cold start, opening a 10,000-message conversation and local search over a
# seeded cache of 100,000 messages, idle memory (PSS) and the size of the
# Windows NSIS installers. Expects build/bin/switchboard (make desktop).
#
# RUNS (5) is how many times each app is started; IDLE (10) the seconds each
# is left idle before its memory is read.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
idle=${IDLE:-10}
messages=100000
big=10000
version=$(cat VERSION)
say() { printf '==> %s\n' "$*"; }

[[ -x build/bin/switchboard ]] || { say "no build/bin/switchboard: run make desktop first"; exit 1; }

# makensis builds the installers; wails only warns when it is missing.
if ! command -v makensis >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    say "installing the Debian package nsis (makensis) for the Windows installers"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis >/dev/null
  else
    say "makensis is missing: sudo apt-get install nsis"
    exit 1
  fi
fi
command -v xvfb-run >/dev/null || { say "xvfb-run is missing: run make deps"; exit 1; }

work=$(mktemp -d -t switchboard-bench-desktop-XXXXXX)
cleanup() {
  [[ -n ${run_pid:-} ]] && kill -- -"$run_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say "building the hello-world (bench/desktop/hello) for Linux and its Windows installer"
hello=bench/desktop/hello/build/bin
(
  cd bench/desktop/hello
  go tool wails build -s -skipbindings -m -nosyncgomod -tags webkit2_41 >/dev/null
  go tool wails build -s -skipbindings -m -nosyncgomod -platform windows/amd64 -nsis >/dev/null
)
[[ -x $hello/hello ]] || { say "no hello-world binary at $hello/hello"; exit 1; }
[[ -s $hello/hello-amd64-installer.exe ]] || { say "no installer at $hello/hello-amd64-installer.exe"; exit 1; }

say "building Switchboard's Windows installer (scripts/dist.sh)"
scripts/dist.sh >/dev/null
installer=dist/switchboard-$version-windows-amd64-setup.exe
[[ -s $installer ]] || { say "no installer at $installer"; exit 1; }

say "building bin/switchboard-bench-desktop"
go build -o bin/switchboard-bench-desktop ./bench/desktop/measure

measure=(bin/switchboard-bench-desktop -runs "$runs" -idle "${idle}s" -work "$work/runs"
  -hello "$hello/hello" -app build/bin/switchboard
  -hello-installer "$hello/hello-amd64-installer.exe" -app-installer "$installer")
if [[ -d bench/desktop/seed ]]; then
  # The app must resume its session and list the cache without the server:
  # the seeded config names a loopback port nobody listens on.
  port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  say "seeding a config dir: $messages messages, one conversation of $big (server http://127.0.0.1:$port, not running)"
  t0=$SECONDS
  SWITCHBOARD_KEYRING=file go run ./bench/desktop/seed -dir "$work/config" -server "http://127.0.0.1:$port" \
    -messages "$messages" -big "$big"
  say "seeded in $((SECONDS - t0)) s: $(du -sh "$work/config" | cut -f1)"
  measure+=(-config "$work/config" -messages "$messages")
else
  say "no seeder (bench/desktop/seed): measuring the hello-world only"
fi

say "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
say "running each app $runs times under Xvfb ($idle s idle before reading memory)"
setsid xvfb-run -a -s "-screen 0 1280x800x24" "${measure[@]}" &
run_pid=$!
rc=0
wait "$run_pid" || rc=$?
run_pid=
say "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((rc != 0)); then
  say "the benchmark failed; the apps' logs:"
  for f in "$work"/runs/*/app.log; do [[ -s $f ]] && { echo "--- $f"; tail -n 20 "$f"; }; done
fi
exit "$rc"
