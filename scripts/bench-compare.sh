#!/usr/bin/env bash
# Runs the channel benchmark's throughput phase against the server built at
# each git revision given and against bin/switchboard-server (this tree),
# alternating, ROUNDS times, and prints the figures side by side: the way to
# tell a regression from a slower machine. Usage:
#   make bench-compare REFS="16176aa main" BENCH_FLAGS="-customers 1200 -rate 4 -duration 15s" ROUNDS=2
# Each revision is checked out in a temporary worktree and built there; the
# widget bundle it embeds is copied from this tree (the benchmark never loads
# it). Servers that know --routing get --routing pick --demo-capacity 1000000,
# as in make bench-channel.
set -euo pipefail
cd "$(dirname "$0")/.."
refs=("$@")
rounds=${ROUNDS:-2}
flags=(${BENCH_FLAGS:-})
ulimit -n "$(ulimit -Hn)"

declare -A bins
names=()
for ref in "${refs[@]}"; do
  rev=$(git rev-parse --short "$ref^{commit}")
  out="bin/compare/$rev"
  if [[ ! -x $out/switchboard-server ]]; then
    echo "==> building the server at $ref ($rev)"
    tmp=$(mktemp -d -t switchboard-compare-XXXXXX)
    git worktree add -q --detach "$tmp/src" "$rev"
    mkdir -p "$tmp/src/backend/widget/dist"
    cp -r backend/widget/dist/. "$tmp/src/backend/widget/dist/"
    mkdir -p "$out"
    (cd "$tmp/src" && CGO_ENABLED=0 go build -trimpath -o "$OLDPWD/$out/switchboard-server" ./backend/cmd/switchboard-server)
    git worktree remove --force "$tmp/src"
    rm -rf "$tmp"
  fi
  bins[$rev]=$out/switchboard-server
  names+=("$rev")
done
bins[tree]=bin/switchboard-server
names+=(tree)

results=$(mktemp -t switchboard-compare-XXXXXX)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
  for name in "${names[@]}"; do
    bin=${bins[$name]}
    data=$(mktemp -d -t switchboard-bench-XXXXXX)
    port=$(bin/switchboard-bench freeport)
    extra=()
    # The help is read whole first: grep -q leaving the pipe early would
    # fail the pipeline under pipefail, and the flags would be left out.
    help=$("$bin" serve -h 2>&1 || true)
    if grep -q -- '-routing' <<<"$help"; then extra=(--routing pick --demo-capacity 1000000); fi
    "$bin" serve --demo --addr "127.0.0.1:$port" --data "$data/data" --log-level warn "${extra[@]}" >"$data/server.log" 2>&1 &
    pid=$!
    echo "==> round $round: $name (pid $pid)"
    if bin/switchboard-bench run -server "http://127.0.0.1:$port" -server-pid "$pid" -phases throughput "${flags[@]}" >"$data/out" 2>&1; then
      grep '^BENCH ' "$data/out" | sed "s/^/$name $round /" >>"$results"
      grep -m1 -E 'load average' "$data/out" | sed 's/^/    /' || true
    else
      echo "    run failed:"; tail -n 20 "$data/out"; tail -n 5 "$data/server.log"
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$data"
  done
done

echo
printf '%-10s %6s %14s %12s %12s %12s %16s\n' server round "durable msg/s" "e2e p50 ms" "e2e p99 ms" "cpu cores" "cpu µs per msg"
awk '{ split($4, n, "="); split($5, v, "="); key = $1 " " $2; val[key, n[2]] = v[2]; if (!(key in seen)) { seen[key] = 1; order[++k] = key } }
  END { for (i = 1; i <= k; i++) { split(order[i], p, " ");
    printf "%-10s %6s %14s %12s %12s %12s %16s\n", p[1], p[2], val[order[i], "durable_msgs"], val[order[i], "e2e_p50"], val[order[i], "e2e_p99"], val[order[i], "server_cpu"], val[order[i], "server_cpu_per_msg"] } }' "$results"
