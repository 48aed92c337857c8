#!/usr/bin/env bash
# Runs the same workloads against the real etcd (Debian's etcd-server 3.4) and Cairn on this
# machine, fsync on, as one node and as three members on loopback, one system at a time, and
# writes BENCHMARKS.md: the machine, the date, the exact commands, and a table with each figure
# and the Cairn / etcd ratio; then Cairn's registry workloads, each beside etcd's nearest figure.
# About 15 minutes on a 2-core machine.
# Usage: bench/compare.sh [output file, default BENCHMARKS.md]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
out_md="${1:-BENCHMARKS.md}"

if ! command -v etcd >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
fi
./mvnw -q -DskipTests package -pl bench -am # the server and the load generator

work="$(mktemp -d)"
results="$work/results.jsonl"
bench=(java -cp "$root/bench/target/cairn-bench.jar:$root/bench/target/lib/*" io.cairn.bench.Bench)
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT

client_port() { if [ "$1" -eq 1 ]; then echo 2379; else echo $(($1 * 10000 + 2379)); fi; }
peer_port() { echo $(($(client_port "$1") + 1)); }

start_etcd() { # members
  local initial=""
  for i in $(seq 1 "$1"); do initial="${initial:+$initial,}e$i=http://127.0.0.1:$(peer_port "$i")"; done
  for i in $(seq 1 "$1"); do
    etcd --name "e$i" --data-dir "$work/etcd-$1-$i" \
      --listen-client-urls "http://127.0.0.1:$(client_port "$i")" --advertise-client-urls "http://127.0.0.1:$(client_port "$i")" \
      --listen-peer-urls "http://127.0.0.1:$(peer_port "$i")" --initial-advertise-peer-urls "http://127.0.0.1:$(peer_port "$i")" \
      --initial-cluster "$initial" >"$work/etcd-$1-$i.log" 2>&1 &
    pids+=("$!")
  done
}

start_cairn() { # members
  local initial=""
  for i in $(seq 1 "$1"); do initial="${initial:+$initial,}c$i=http://127.0.0.1:$(peer_port "$i")"; done
  for i in $(seq 1 "$1"); do
    "$root/bin/cairn" --name "c$i" --data-dir "$work/cairn-$1-$i" \
      --listen-client-urls "http://127.0.0.1:$(client_port "$i")" \
      --listen-peer-urls "http://127.0.0.1:$(peer_port "$i")" \
      --initial-cluster "$initial" >"$work/cairn-$1-$i.log" 2>&1 &
    pids+=("$!")
  done
}

await_ready() { # endpoints
  for _ in $(seq 100); do
    if ETCDCTL_API=3 etcdctl --endpoints "$1" --dial-timeout 1s put bench-ready 1 >/dev/null 2>&1; then return 0; fi
    sleep 0.3
  done
  echo "compare.sh: $1 did not come up" >&2
  exit 1
}

# The workloads, the same for both systems.
run_workloads() { # target members endpoints
  local common=(--endpoints "$3" --target "$1" --members "$2" --quiet)
  # not recorded: a JVM compiles its hot paths in its first seconds of load, a Go binary needs no warm-up
  "${bench[@]}" put "${common[@]}" --clients 100 --conns 10 --total 20000 --warmup 0 >/dev/null
  "${bench[@]}" range "${common[@]}" --clients 100 --conns 10 --total 20000 --warmup 0 --key-space 1000 >/dev/null
  {
    "${bench[@]}" put "${common[@]}" --clients 1 --conns 1 --total 2000 --warmup 500
    "${bench[@]}" put "${common[@]}" --clients 100 --conns 10 --total 30000 --warmup 3000
    "${bench[@]}" range "${common[@]}" --consistency l --clients 100 --conns 10 --total 30000 --warmup 3000
    "${bench[@]}" range "${common[@]}" --consistency s --clients 100 --conns 10 --total 30000 --warmup 3000
    "${bench[@]}" txn "${common[@]}" --clients 100 --conns 10 --total 20000 --warmup 2000
    "${bench[@]}" mixed "${common[@]}" --clients 100 --conns 10 --total 30000 --warmup 3000
    "${bench[@]}" watch "${common[@]}" --watchers 1000 --streams 10 --puts 300 --warmup 0
    "${bench[@]}" lease "${common[@]}" --clients 10 --conns 10 --leases 2000 --total 50000 --warmup 5000
  } | tee -a "$work/runs.log" | grep '^{' >>"$results"
  if [ "$1" = cairn ]; then registry_workloads "${common[@]}"; fi
}

# Cairn's service registry, which etcd has not; report sets each figure beside etcd's nearest.
registry_workloads() { # common options
  {
    "${bench[@]}" lookup "$@" --consistency l --clients 100 --conns 10 --instances 100 --total 10000 --warmup 1000
    "${bench[@]}" lookup "$@" --consistency s --clients 100 --conns 10 --instances 100 --total 10000 --warmup 1000
    # a change some subscriber missed fails the command; its line is kept and shows the misses
    "${bench[@]}" push "$@" --subscribers 1000 --conns 10 --changes 200 || echo "compare.sh: push failed" >&2
    # last: each registration leaves a lease that lives until the member stops
    "${bench[@]}" register "$@" --clients 100 --conns 10 --total 20000 --warmup 2000
  } | tee -a "$work/runs.log" | grep '^{' >>"$results"
}

for members in 1 3; do
  endpoints=""
  for i in $(seq 1 "$members"); do endpoints="${endpoints:+$endpoints,}127.0.0.1:$(client_port "$i")"; done
  for target in etcd cairn; do
    echo "compare.sh: $target, $members member(s)" >&2
    "start_$target" "$members"
    await_ready "$endpoints"
    run_workloads "$target" "$members" "$endpoints"
    stop_all
  done
done

{
  echo "# Benchmarks: Cairn beside etcd"
  echo
  echo "Produced by \`bench/compare.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Both systems ran on this"
  echo "machine, one after the other, on loopback, with their default durability (fsync on), fresh"
  echo "data dirs, as one node and as three members; the load generator ran on the same machine."
  echo
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "- etcd: $(etcd --version | head -1 | sed 's/etcd Version: //'); Cairn: $(git rev-parse --short HEAD); Java: $(java -version 2>&1 | head -1)"
  echo "- Load: \`bench\` (this repo's \`bench/\`), the standard etcd v3 gRPC API; 256-byte values, 8-byte keys, 10,000 keys."
  echo
  echo "Each system first gets an unrecorded warm-up of 20,000 puts and 20,000 reads: a JVM compiles"
  echo "its hot paths in its first seconds under load. Then the workloads, the same for both"
  echo "(\`java -cp bench/target/cairn-bench.jar:bench/target/lib/* io.cairn.bench.Bench ...\`):"
  echo
  echo '```'
  declare -f run_workloads | grep '"${bench\[@\]}"' | grep -v '/dev/null' | sed 's/"${bench\[@\]}"/bench/; s/"${common\[@\]}"/--endpoints <all members>/; s/^ *//'
  echo '```'
  echo
  echo "Then, on Cairn only, its service registry (etcd has none):"
  echo
  echo '```'
  declare -f registry_workloads | grep '"${bench\[@\]}"' | sed 's/"${bench\[@\]}"/bench/; s/"$@"/--endpoints <all members>/; s/ ||.*//; s/^ *//'
  echo '```'
  echo
  echo "Ratios are Cairn / etcd: above 1 is better for ops/s, below 1 is better for latencies. The"
  echo "machine is shared and noisy; take the ratios as rough."
  echo
  "${bench[@]}" report "$results"
  echo
  cat "$root/bench/ANALYSIS.md"
} >"$out_md"
echo "compare.sh: wrote $out_md" >&2
