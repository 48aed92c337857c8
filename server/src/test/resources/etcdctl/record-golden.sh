#!/usr/bin/env bash
# Records what the real etcd 3.4 (Debian's etcd-server and etcd-client) prints for each line of
# a .commands file, into the matching .golden file that EtcdctlSeedIT holds Cairn to.
# Usage: record-golden.sh seed-kv.commands
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
commands="$here/$(basename "$1")"
golden="${commands%.commands}.golden"
dir="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
etcd --data-dir "$dir/data" --listen-client-urls "http://127.0.0.1:$port" \
  --advertise-client-urls "http://127.0.0.1:$port" \
  --listen-peer-urls "http://127.0.0.1:$((port + 1))" \
  --initial-advertise-peer-urls "http://127.0.0.1:$((port + 1))" \
  --initial-cluster "default=http://127.0.0.1:$((port + 1))" >"$dir/etcd.log" 2>&1 &
pid=$!
trap 'kill "$pid"; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
export ETCDCTL_API=3 ETCDCTL_ENDPOINTS="127.0.0.1:$port"
for _ in $(seq 50); do etcdctl endpoint health >/dev/null 2>&1 && break; sleep 0.2; done
mkdir -p "$dir/work" && cd "$dir/work"  # scratch for commands that pass values through files
: >"$golden"
grep -v '^#' "$commands" | grep -v '^$' | while IFS= read -r cmd; do
  printf '$ %s\n' "$cmd" >>"$golden"
  bash -c "$cmd" >>"$golden" 2>&1 </dev/null || printf '[exit %d]\n' $? >>"$golden"
done
echo "recorded $(grep -c '^\$ ' "$golden") commands from $(etcd --version | head -1) into $golden"
