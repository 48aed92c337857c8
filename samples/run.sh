#!/usr/bin/env bash
# A tour of the samples: starts a local member (or uses the cluster CAIRN_ENDPOINTS names), starts
# the samples, shows what each one does, and stops everything it started when it ends, however it
# ends. Build first: ./mvnw -DskipTests package (from the project root).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
base_port="${SAMPLES_BASE_PORT:-18080}"
work="$(mktemp -d -t cairn-samples.XXXXXX)"
pids=()
finished=no

# The samples first, newest first, the member last (so they can deregister); TERM, then KILL after 10 s.
# The logs are kept when the tour did not finish, to say why.
stop_all() {
  local i pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid="${pids[$i]}"
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$finished" = yes ]; then rm -rf "$work"; else echo "logs kept in $work" >&2; fi
}
trap stop_all EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

for jar in provider consumer gateway config-app scheduler; do
  if [ ! -f "$here/$jar/target/$jar-exec.jar" ]; then
    echo "samples/$jar/target/$jar-exec.jar is missing; build with: ./mvnw -DskipTests package" >&2
    exit 1
  fi
done

if [ -z "${CAIRN_ENDPOINTS:-}" ]; then
  port=$((base_port + 50))
  say "Starting a member on 127.0.0.1:$port (data in $work/data)"
  "$root/bin/cairn" --data-dir "$work/data" --listen-client-urls "http://127.0.0.1:$port" \
    --listen-peer-urls "http://127.0.0.1:$((port + 1))" --listen-client-http-urls "http://127.0.0.1:$((port + 2))" \
    > "$work/cairn.log" 2>&1 &
  pids+=($!)
  export CAIRN_ENDPOINTS="http://127.0.0.1:$port"
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$((port + 2))/health" >/dev/null 2>&1 && break
    kill -0 "${pids[0]}" 2>/dev/null || { echo "the member exited:"; cat "$work/cairn.log"; exit 1; }
    sleep 0.2
  done
  curl -sf "http://127.0.0.1:$((port + 2))/health" >/dev/null || { echo "the member did not answer in 30 s"; exit 1; }
fi
ctl() { "$root/bin/cairnctl" --endpoints="$CAIRN_ENDPOINTS" "$@"; }

# name, sample, then VAR=value settings for it
start() {
  local name="$1" sample="$2"; shift 2
  env "$@" CAIRN_ENDPOINTS="$CAIRN_ENDPOINTS" SPRING_CLOUD_CAIRN_DISCOVERY_TTL=3s \
    SPRING_CLOUD_CAIRN_CONFIG_SNAPSHOTDIR="$work/snapshots" \
    java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$here/$sample/target/$sample-exec.jar" > "$work/$name.log" 2>&1 &
  pids+=($!)
  eval "pid_${name//-/_}=$!"
}
await_started() {
  local name pid
  for name in "$@"; do
    pid_var="pid_${name//-/_}"; pid="${!pid_var}"
    for _ in $(seq 1 600); do
      grep -q "Started .*Application in" "$work/$name.log" 2>/dev/null && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    grep -q "Started .*Application in" "$work/$name.log" || { echo "$name did not start:"; cat "$work/$name.log"; exit 1; }
  done
}
# url, text: waits up to 20 s for the answer to contain the text, then prints it
until_says() {
  local answer=""
  for _ in $(seq 1 100); do
    answer="$(curl -s "$1" || true)"
    case "$answer" in *"$2"*) break ;; esac
    sleep 0.2
  done
  echo "$answer"
}

ctl config put config-app --format properties $'shop.greeting=hello\nshop.discount=5\nshop.banner=spring sale' >/dev/null
say "Starting two providers, a consumer, a gateway, two config-apps and two schedulers"
start provider-1 provider PORT=$((base_port + 1)) SPRING_CLOUD_CAIRN_DISCOVERY_INSTANCEID=provider-1
start provider-2 provider PORT=$((base_port + 2)) SPRING_CLOUD_CAIRN_DISCOVERY_INSTANCEID=provider-2
start consumer consumer PORT=$base_port
start gateway gateway PORT=$((base_port + 10))
start config-app-a config-app PORT=$((base_port + 21)) INSTANCE=a
start config-app-b config-app PORT=$((base_port + 22)) INSTANCE=b
start scheduler-1 scheduler INSTANCE=s1
start scheduler-2 scheduler INSTANCE=s2
await_started provider-1 provider-2 consumer gateway config-app-a config-app-b scheduler-1 scheduler-2
for _ in $(seq 1 100); do [ "$(ctl service get provider | wc -l)" -ge 2 ] && break; sleep 0.2; done

say "1. Discovery: the registry holds both providers"
ctl service get provider
say "2. Load balancing: 10 calls from the consumer, by name (GET :$base_port/call?times=10)"
curl -s "http://127.0.0.1:$base_port/call?times=10"; echo
say "3. The gateway routes lb://provider (GET :$((base_port + 10))/provider/hello, 4 times)"
for _ in 1 2 3 4; do curl -s "http://127.0.0.1:$((base_port + 10))/provider/hello"; echo; done

say "4. Config: both config-apps, then a new version published, then a gray release to instance b"
for p in 21 22; do curl -s "http://127.0.0.1:$((base_port + p))/config"; echo; done
ctl config put config-app $'shop.greeting=hi\nshop.discount=10\nshop.banner=summer sale'
for p in 21 22; do until_says "http://127.0.0.1:$((base_port + p))/config" '"discount":10'; done
printf 'shop.greeting=hi\nshop.discount=20\nshop.banner=summer sale\n' > "$work/gray.properties"
ctl config gray start config-app --file "$work/gray.properties" --label instance=b
until_says "http://127.0.0.1:$((base_port + 22))/config" '"discount":20' >/dev/null
for p in 21 22; do curl -s "http://127.0.0.1:$((base_port + p))/config"; echo "   <- instance $([ $p = 21 ] && echo a || echo b)"; done
ctl config gray abort config-app >/dev/null

say "5. A provider killed: after its 3 s TTL the consumer calls only the other"
kill -9 "$pid_provider_2"; wait "$pid_provider_2" 2>/dev/null || true
until_says "http://127.0.0.1:$base_port/call?times=10" '{"hello from provider-1":10}'

say "6. Leader election: one scheduler runs the job; pausing it hands the job over, and its late write is refused"
# the leader is the oldest key of the election
for _ in $(seq 1 100); do
  leader_id="$(ctl get --prefix samples/scheduler/ --sort-by=CREATE --order=ASCEND --limit=1 --print-value-only || true)"
  [ -n "$leader_id" ] && break; sleep 0.2
done
if [ "$leader_id" = s1 ]; then pid=$pid_scheduler_1; other=s2; else pid=$pid_scheduler_2; other=s1; fi
echo "the leader is $leader_id; last run: $(ctl get /samples/scheduler/last-run --print-value-only)"
kill -STOP "$pid"; echo "paused $leader_id"
for _ in $(seq 1 150); do ctl get /samples/scheduler/last-run --print-value-only | grep -q "^$other " && break; sleep 0.2; done
echo "$other took over; last run: $(ctl get /samples/scheduler/last-run --print-value-only)"
kill -CONT "$pid"; echo "woke $leader_id"
for _ in $(seq 1 50); do grep -q "FENCED" "$work"/scheduler-*.log && break; sleep 0.2; done
grep -h "LEADER\|FENCED" "$work"/scheduler-*.log

say "7. The same with the Java SDK alone (samples/plain-java)"
java -cp "$here/plain-java/target/classes:$here/plain-java/target/lib/*" io.cairn.samples.plain.PlainJava

finished=yes
say "Done; stopping everything this tour started"
