#!/usr/bin/env bash
# Start-up and idle memory, Cairn beside etcd, on this machine: each server is started RUNS times
# on an empty data dir; the time is from launch to the first answer of its /health, the memory its
# RSS 3 s later. Prints each run and the medians. Uses loopback ports PORT..PORT+2 (default 23990).
#   bench/startup.sh [RUNS]        (build first: ./mvnw -DskipTests package)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
port="${PORT:-23990}"
work="$(mktemp -d -t cairn-startup.XXXXXX)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# name, health URL, command...: prints "ms MB"
measure() {
  local url="$1"; shift
  rm -rf "$work/data"
  local t0 t1
  t0=$(date +%s%N)
  "$@" > "$work/log" 2>&1 &
  pid=$!
  until curl -sf "$url" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "the server exited:" >&2; cat "$work/log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  sleep 3
  local rss
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$(( (t1 - t0) / 1000000 )) $(( rss / 1024 ))"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

: > "$work/etcd"; : > "$work/cairn"
for _ in $(seq 1 "$runs"); do
  measure "http://127.0.0.1:$port/health" /usr/bin/etcd --data-dir "$work/data" \
    --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
    --listen-peer-urls "http://127.0.0.1:$((port + 1))" >> "$work/etcd"
  # exec: the member is the process measured, not the script that starts it
  measure "http://127.0.0.1:$((port + 2))/health" "$here/bin/cairn" --data-dir "$work/data" \
    --listen-client-urls "http://127.0.0.1:$port" --listen-peer-urls "http://127.0.0.1:$((port + 1))" \
    --listen-client-http-urls "http://127.0.0.1:$((port + 2))" >> "$work/cairn"
done
for s in etcd cairn; do
  echo "$s: start-up ms $(cut -d' ' -f1 "$work/$s" | tr '\n' ' ')| idle RSS MB $(cut -d' ' -f2 "$work/$s" | tr '\n' ' ')"
  echo "$s: median start-up $(cut -d' ' -f1 "$work/$s" | median) ms, median idle RSS $(cut -d' ' -f2 "$work/$s" | median) MB"
done
