#!/usr/bin/env bash
# etcd's own performance check, `etcdctl check perf --load=<load>` (200 clients writing 1,000
# times a second for a minute with --load=m), against a fresh etcd 3.4 and a fresh Cairn member on
# this machine, one after the other; Cairn is checked twice in a row, cold and then warm, since a
# JVM compiles its hot paths under the first load. Prints etcdctl's verdicts with the server's CPU
# seconds and RSS. About 4 minutes for --load=m. Usage: bench/check-perf.sh [s|m|l|xl]
set -euo pipefail
cd "$(dirname "$0")/.."
load="${1:-m}"
port=23790
work="$(mktemp -d)"
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop; rm -rf "$work"' EXIT

await_health() {
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0
    sleep 0.5
  done
  echo "check-perf.sh: no answer on port $port" >&2
  exit 1
}

check() { # label
  local before after
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$port" check perf --load="$load" 2>&1 | tr '\r' '\n' \
    | grep -E '^(PASS|FAIL|Slowest|Stddev|Throughput)' | grep -v '^PASS$\|^FAIL$' | sed "s/^/$1: /" || true
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  echo "$1: server CPU $(( (after - before) / $(getconf CLK_TCK) )) s, RSS $(( $(ps -o rss= -p "$pid") / 1024 )) MB"
}

urls=(--listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port"
  --listen-peer-urls "http://127.0.0.1:$((port + 10))" --initial-advertise-peer-urls "http://127.0.0.1:$((port + 10))")

etcd --name default --data-dir "$work/etcd" "${urls[@]}" \
  --initial-cluster "default=http://127.0.0.1:$((port + 10))" >"$work/etcd.log" 2>&1 &
pid=$!
await_health
check "etcd $(etcd --version | head -1 | awk '{print $3}')"
stop

bin/cairn --data-dir "$work/cairn" "${urls[@]}" \
  --initial-cluster "default=http://127.0.0.1:$((port + 10))" >"$work/cairn.log" 2>&1 &
pid=$!
await_health
check "cairn, cold"
check "cairn, warm"
stop
