#!/usr/bin/env bash
# Runs the same workloads against the real etcd (Debian's etcd-server 3.4) and Cairn on this
# machine, fsync on, as one node and as three members on loopback, one system at a time, and
# writes BENCHMARKS.md: the machine, the date, the exact commands, and a table with each figure
# and the Cairn / etcd ratio; then Cairn's registry and config center workloads, each beside
# etcd's nearest figure. About 20 minutes on a 2-core machine.
# Usage: bench/compare.sh [--only config] [--members "1 3"] [--no-build] [output file]
#   --only config  the config center's workloads and their etcd counterparts only (a few
#                  minutes), written as a section to paste into BENCHMARKS.md (default: stdout)
#   --members      the cluster sizes to run, default "1 3"
#   --no-build     use bench/ and server/ as last built (offline, or while others build)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
only=""
member_counts="1 3"
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --members) member_counts="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) break ;;
  esac
done
if [ -n "$only" ] && [ "$only" != config ]; then
  echo "compare.sh: --only takes config" >&2
  exit 2
fi
if [ -n "$only" ]; then out_md="${1:-/dev/stdout}"; else out_md="${1:-BENCHMARKS.md}"; fi

if ! command -v etcd >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
fi
if [ "$build" = 1 ]; then
  ./mvnw -q -DskipTests package -pl bench -am # the server and the load generator
fi

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
  echo "$1, $2 member(s), before its run: $(uptime | sed 's/^ *//')" >>"$work/uptime.log"
  # not recorded: a JVM compiles its hot paths in its first seconds of load, a Go binary needs no warm-up
  "${bench[@]}" put "${common[@]}" --clients 100 --conns 10 --total 20000 --warmup 0 >/dev/null
  "${bench[@]}" range "${common[@]}" --clients 100 --conns 10 --total 20000 --warmup 0 --key-space 1000 >/dev/null
  if [ "$only" != config ]; then core_workloads "${common[@]}"; fi
  config_counterparts "${common[@]}"
  if [ "$1" = cairn ]; then
    config_workloads "${common[@]}"
    if [ "$only" != config ]; then registry_workloads "${common[@]}"; fi
  fi
  echo "$1, $2 member(s), after its run: $(uptime | sed 's/^ *//')" >>"$work/uptime.log"
}

core_workloads() { # common options
  {
    "${bench[@]}" put "$@" --clients 1 --conns 1 --total 2000 --warmup 500
    "${bench[@]}" put "$@" --clients 100 --conns 10 --total 30000 --warmup 3000
    "${bench[@]}" range "$@" --consistency l --clients 100 --conns 10 --total 30000 --warmup 3000
    "${bench[@]}" range "$@" --consistency s --clients 100 --conns 10 --total 30000 --warmup 3000
    "${bench[@]}" txn "$@" --clients 100 --conns 10 --total 20000 --warmup 2000
    "${bench[@]}" mixed "$@" --clients 100 --conns 10 --total 30000 --warmup 3000
    "${bench[@]}" watch "$@" --watchers 1000 --streams 10 --puts 300 --warmup 0
    "${bench[@]}" lease "$@" --clients 10 --conns 10 --leases 2000 --total 50000 --warmup 5000
  } | tee -a "$work/runs.log" | grep '^{' >>"$results"
}

# etcd's nearest figures to the config center's, on both systems: puts of a config's size by as
# many clients as publish, and as many watchers as config-push has listeners, put to at its pace.
config_counterparts() { # common options
  {
    "${bench[@]}" put "$@" --clients 20 --conns 4 --val-size 1024 --total 5000 --warmup 500
    "${bench[@]}" watch "$@" --watchers 1000 --streams 10 --puts 100 --interval-ms 50 --val-size 1024 --warmup 0
  } | tee -a "$work/runs.log" | grep '^{' >>"$results"
}

# Cairn's config center, which etcd has not; report sets each figure beside etcd's nearest.
config_workloads() { # common options
  # not recorded: the publish path (YAML parsing, JSON records) has its own code to compile; run
  # by hand on one member, publishes/s went from ~530 to ~900 over the first 40,000 publishes, of
  # which 20,000 here take most of the way
  "${bench[@]}" publish "$@" --clients 20 --conns 4 --content-size 1024 --total 20000 --warmup 0 >/dev/null \
    || echo "compare.sh: the publish warm-up failed" >&2
  {
    "${bench[@]}" publish "$@" --clients 20 --conns 4 --content-size 1024 --total 5000 --warmup 500
    # a version some listener missed fails the command; its lines are kept and show the misses
    "${bench[@]}" config-push "$@" --listeners 1000 --conns 10 --publishes 100 --interval-ms 50 --content-size 1024 \
      || echo "compare.sh: config-push failed" >&2
  } | tee -a "$work/runs.log" | grep '^{' >>"$results"
}

# Cairn's service registry, which etcd has not; report sets each figure beside etcd's nearest.
registry_workloads() { # common options
  # not recorded, as for the config center: the lookup path's own warm-up
  "${bench[@]}" lookup "$@" --consistency s --clients 100 --conns 10 --instances 100 --total 20000 --warmup 0 >/dev/null \
    || echo "compare.sh: the lookup warm-up failed" >&2
  {
    "${bench[@]}" lookup "$@" --consistency l --clients 100 --conns 10 --instances 100 --total 10000 --warmup 1000
    "${bench[@]}" lookup "$@" --consistency s --clients 100 --conns 10 --instances 100 --total 10000 --warmup 1000
    # a change some subscriber missed fails the command; its line is kept and shows the misses
    "${bench[@]}" push "$@" --subscribers 1000 --conns 10 --changes 200 || echo "compare.sh: push failed" >&2
    # last: each registration leaves a lease that lives until the member stops
    "${bench[@]}" register "$@" --clients 100 --conns 10 --total 20000 --warmup 2000
  } | tee -a "$work/runs.log" | grep '^{' >>"$results"
}

for members in $member_counts; do
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

# The bench commands a function runs, as a person would type them.
commands_of() { # function...
  for f in "$@"; do
    declare -f "$f" | grep '"${bench\[@\]}"' | grep -v '/dev/null' | sed 's/"${bench\[@\]}"/bench/; s/"$@"/--endpoints <all members>/; s/ ||.*//; s/;$//; s/^ *//'
  done
}

machine() {
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "- etcd: $(etcd --version | head -1 | sed 's/etcd Version: //'); Cairn: $(git rev-parse --short HEAD); Java: $(java -version 2>&1 | head -1)"
}

load_average() {
  echo "Load average (\`uptime\`) before and after each system's run:"
  echo
  echo '```'
  cat "$work/uptime.log"
  echo '```'
}

if [ "$only" = config ]; then
  {
    echo "## The config center beside etcd"
    echo
    echo "Produced by \`bench/compare.sh --only config --members \"$member_counts\"\` on $(date -u '+%Y-%m-%d %H:%M UTC'):"
    echo "the config center's workloads and their etcd counterparts only, as $member_counts member(s), in"
    echo "the same run, with the same warm-up and durability as the full run."
    echo
    machine
    echo
    load_average
    echo
    echo "On both systems (\`java -cp bench/target/cairn-bench.jar:bench/target/lib/* io.cairn.bench.Bench ...\`):"
    echo
    echo '```'
    commands_of config_counterparts
    echo '```'
    echo
    echo "On Cairn only, after an unrecorded warm-up of 20,000 publishes:"
    echo
    echo '```'
    commands_of config_workloads
    echo '```'
    echo
    "${bench[@]}" report "$results"
  } >"$out_md"
  echo "compare.sh: wrote $out_md" >&2
  exit 0
fi

{
  echo "# Benchmarks: Cairn beside etcd"
  echo
  echo "Produced by \`bench/compare.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Both systems ran on this"
  echo "machine, one after the other, on loopback, with their default durability (fsync on), fresh"
  echo "data dirs, as one node and as three members; the load generator ran on the same machine."
  echo
  machine
  echo "- Load: \`bench\` (this repo's \`bench/\`), the standard etcd v3 gRPC API; 256-byte values, 8-byte keys,"
  echo "  10,000 keys (1 KiB values for the config center's counterparts: puts with 20 clients, watch-paced)."
  echo
  load_average
  echo
  echo "Each system first gets an unrecorded warm-up of 20,000 puts and 20,000 reads: a JVM compiles"
  echo "its hot paths in its first seconds under load. Then the workloads, the same for both"
  echo "(\`java -cp bench/target/cairn-bench.jar:bench/target/lib/* io.cairn.bench.Bench ...\`):"
  echo
  echo '```'
  commands_of core_workloads config_counterparts
  echo '```'
  echo
  echo "Then, on Cairn only, its config center and service registry (etcd has neither), each"
  echo "after an unrecorded warm-up of its own (20,000 publishes; 20,000 serializable lookups):"
  echo
  echo '```'
  commands_of config_workloads registry_workloads
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
