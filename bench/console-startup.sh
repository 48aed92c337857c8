#!/usr/bin/env bash
# The console's start-up and memory on this machine: one member with auth on is started once; the
# console is then started RUNS times against it. Each run times launch to the first 200 of
# /login, then loads that page in headless chromium (Debian's) until "Sign in to Cairn" is in its
# DOM, and reads the console's RSS 3 s later (one browser session open). Prints each run and the
# medians. Uses loopback ports PORT..PORT+3 (default 24990).
#   bench/console-startup.sh [RUNS]        (build first: ./mvnw -DskipTests package)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
port="${PORT:-24990}"
work="$(mktemp -d -t cairn-console-startup.XXXXXX)"
member=""
console=""
trap '[ -n "$console" ] && kill "$console" 2>/dev/null; [ -n "$member" ] && kill "$member" 2>/dev/null; rm -rf "$work"' EXIT

"$here/bin/cairn" --data-dir "$work/data" --listen-client-urls "http://127.0.0.1:$port" \
  --listen-peer-urls "http://127.0.0.1:$((port + 1))" > "$work/member.log" 2>&1 &
member=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.1; done
export ETCDCTL_API=3
etcdctl --endpoints "127.0.0.1:$port" user add root --new-user-password=root >/dev/null
etcdctl --endpoints "127.0.0.1:$port" user grant-role root root >/dev/null
etcdctl --endpoints "127.0.0.1:$port" auth enable >/dev/null

url="http://127.0.0.1:$((port + 3))/login"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
: > "$work/runs"
for _ in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  "$here/bin/cairn-console" --endpoints "http://127.0.0.1:$port" --listen "127.0.0.1:$((port + 3))" > "$work/console.log" 2>&1 &
  console=$!
  until curl -sf "$url" >/dev/null 2>&1; do
    kill -0 "$console" 2>/dev/null || { echo "the console exited:" >&2; cat "$work/console.log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --virtual-time-budget=10000 --dump-dom "$url" 2>/dev/null | grep -q "Sign in to Cairn" \
    || { echo "the login page did not render" >&2; exit 1; }
  t2=$(date +%s%N)
  sleep 3
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$console/status")
  echo "$(( (t1 - t0) / 1000000 )) $(( (t2 - t0) / 1000000 )) $(( rss / 1024 ))" | tee -a "$work/runs"
  grep -o "Started ConsoleApplication in [0-9.]* seconds" "$work/console.log" >&2 || true
  kill -TERM "$console"; wait "$console" 2>/dev/null || true; console=""
done
echo "console: first 200 of /login ms $(cut -d' ' -f1 "$work/runs" | tr '\n' ' ')| rendered in chromium ms $(cut -d' ' -f2 "$work/runs" | tr '\n' ' ')| RSS MB $(cut -d' ' -f3 "$work/runs" | tr '\n' ' ')"
echo "console: median first 200 $(cut -d' ' -f1 "$work/runs" | median) ms, median rendered $(cut -d' ' -f2 "$work/runs" | median) ms, median RSS $(cut -d' ' -f3 "$work/runs" | median) MB"
