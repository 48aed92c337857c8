package io.cairn.server.robust;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.ClusterGrpc;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.MemberAddRequest;
import io.cairn.api.etcd.MemberRemoveRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.PeerFirewall;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients read, write and compare-and-set a few keys of a three-member cluster, each through a
 * member it moves off when that member fails it, while members are killed (the leader among
 * them) and restarted, paused with SIGSTOP, cut off by the firewall, have the leader's wall clock
 * stepped, or are removed from the cluster and added back empty;
 * every operation is recorded as the client saw it, and the whole history must be linearizable.
 * Other clients append to lists under other keys in txns of one or two keys, and read them, a
 * history {@link ListAppendCheck} checks. Meanwhile a
 * watcher per member (each moving to the next member when its stream breaks, resuming after its
 * last event) watches every key: each must see every revision once and in order, all must agree,
 * and every acknowledged write must be among the events ({@link WatchCompleteness}).
 * Lock clients write a key only while they hold etcd's Lock, fenced by their token
 * ({@link LockFencing}); lease clients leave short leases to expire ({@link LeaseExpiry}): both
 * are checked against the watchers' history; so are registry subscribers, moving between members
 * and resuming, while other clients register, update and deregister ({@link SubscriptionCheck}).
 * CI runs it for two minutes on three members (eight faults or more);
 * {@code -Dcairn.robust.seconds=600} runs it longer, {@code -Dcairn.robust.members=5} on five. The report (faults with their times,
 * operations by outcome, the verdict) and the members' logs go to {@code target/robustness/}.
 */
@ExtendWith(OwnedProcesses.class)
class RegisterRobustnessIT {
    private static final int CLIENTS = 6;
    private static final int KEYS = 8;
    private static final int LIST_CLIENTS = 3;
    private static final int LIST_KEYS = 4;
    private static final String LIST_PREFIX = "list/";
    /**
     * How long clients append to one set of list keys before moving to fresh ones, as Elle bounds
     * the writes per key: a list that grew for the whole of a long run would be read whole, again
     * and again, and held whole in every watcher's history.
     */
    private static final long LIST_KEYS_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final int LOCK_CLIENTS = 2;
    private static final int LEASE_CLIENTS = 2;
    private static final int REGISTRY_CLIENTS = 2;
    private static final int SUBSCRIBERS = 2;
    private static final int CONFIG_PUBLISHERS = 1;
    private static final int CONFIG_LISTENERS = 2;
    /** After a fault, the time a cluster may take to have a leader serving again. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long ELECTION_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The time a lease's revoke may take to commit and reach a watcher on this loaded machine. */
    private static final long REVOKE_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The watchers' range: every key (etcd's "\0" to "\0"). */
    private static final ByteString ALL_KEYS = ByteString.copyFrom(new byte[] {0});
    /** Every key the clients use is under it, and nothing else is written. */
    private static final String PREFIX = "reg/";
    private static final String PREFIX_END = "reg0";
    private static final long SECONDS = Long.getLong("cairn.robust.seconds", 120);
    private static final int MEMBERS = Integer.getInteger("cairn.robust.members", 3);
    /** A call not answered by then has an unknown outcome. */
    private static final long DEADLINE_MS = 2000;
    /** Kills and pauses a run must have injected: a restart takes 10-30 s here, a pause a few. */
    private static final int MIN_FAULTS = (int) Math.max(2, SECONDS / 15);

    @TempDir
    Path dir;

    @Test
    void registersStayLinearizableWhileMembersAreKilledAndPaused() throws Exception {
        List<RegisterOp> history = Collections.synchronizedList(new ArrayList<>());
        List<ListOp> lists = Collections.synchronizedList(new ArrayList<>());
        List<String> faults = Collections.synchronizedList(new ArrayList<>());
        List<LeaseExpiry.Span> faultSpans = Collections.synchronizedList(new ArrayList<>());
        List<LockFencing.Write> fencedWrites = Collections.synchronizedList(new ArrayList<>());
        List<String> lockAnomalies = Collections.synchronizedList(new ArrayList<>());
        List<LeaseExpiry.Lease> leases = Collections.synchronizedList(new ArrayList<>());
        List<String> leaseAnomalies = new ArrayList<>();
        Path reports = Path.of("target", "robustness", "registers-" + Instant.now().toString().replace(':', '-'));
        List<String> watchAnomalies = new ArrayList<>();
        List<String> watchSummary = new ArrayList<>();
        List<RangeWatcher> watchers = new ArrayList<>();
        List<RegistrySubscriber> subscribers = new ArrayList<>();
        List<String> subscriptionSummary = new ArrayList<>();
        List<String> subscriptionAnomalies = new ArrayList<>();
        Map<String, List<SubscriptionCheck.Response>> told = new java.util.TreeMap<>();
        List<ConfigListener> configListeners = new ArrayList<>();
        List<ConfigPublisher.Publish> published = Collections.synchronizedList(new ArrayList<>());
        List<String> configSummary = new ArrayList<>();
        List<String> configAnomalies = new ArrayList<>();
        Map<String, List<ConfigListenCheck.Response>> heard = new java.util.TreeMap<>();
        long start;
        RuntimeException faultFailure = null;
        String members = MEMBERS + " members, ";
        try (PeerFirewall firewall = PeerFirewall.open().orElse(null);
             CairnCluster cluster = start(dir, firewall)) {
            members += firewall == null ? "no partitions (no firewall here: see the test's output)" : "partitions by iptables";
            ManagedChannel first = cluster.member(0).channel();
            try {
                ConfigPublisher.createNamespace(first);
            } finally {
                first.shutdownNow();
            }
            long from = settledRead(cluster, RegisterRobustnessIT::storeRevision) + 1;
            for (int m = 0; m < cluster.members().size(); m++) {
                watchers.add(new RangeWatcher("watcher-" + m, cluster, m, ALL_KEYS, ALL_KEYS, from));
            }
            for (int m = 0; m < SUBSCRIBERS; m++) {
                subscribers.add(new RegistrySubscriber("subscriber-" + m, cluster, m));
            }
            for (int m = 0; m < CONFIG_LISTENERS; m++) {
                configListeners.add(new ConfigListener("config-listener-" + m, cluster, m + 1));
            }
            start = System.nanoTime();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int p = 0; p < CLIENTS; p++) {
                int process = p;
                Thread t = new Thread(() -> runClient(process, cluster, history, stop), "client-" + p);
                t.start();
                clients.add(t);
            }
            for (int p = 0; p < LIST_CLIENTS; p++) {
                int process = CLIENTS + p;
                Thread t = new Thread(() -> runListClient(process, cluster, lists, stop, start), "list-client-" + p);
                t.start();
                clients.add(t);
            }
            for (int p = 0; p < LOCK_CLIENTS; p++) {
                int process = CLIENTS + LIST_CLIENTS + p;
                Thread t = new Thread(() -> LockClient.run(process, cluster, fencedWrites, lockAnomalies, stop), "lock-client-" + p);
                t.start();
                clients.add(t);
            }
            for (int p = 0; p < LEASE_CLIENTS; p++) {
                int process = CLIENTS + LIST_CLIENTS + LOCK_CLIENTS + p;
                Thread t = new Thread(() -> LeaseClient.run(process, cluster, leases, stop), "lease-client-" + p);
                t.start();
                clients.add(t);
            }
            for (int p = 0; p < REGISTRY_CLIENTS; p++) {
                int process = CLIENTS + LIST_CLIENTS + LOCK_CLIENTS + LEASE_CLIENTS + p;
                Thread t = new Thread(() -> RegistryClient.run(process, cluster, stop), "registry-client-" + p);
                t.start();
                clients.add(t);
            }
            for (int p = 0; p < CONFIG_PUBLISHERS; p++) {
                int process = CLIENTS + LIST_CLIENTS + LOCK_CLIENTS + LEASE_CLIENTS + REGISTRY_CLIENTS + p;
                Thread t = new Thread(() -> ConfigPublisher.run(process, cluster, published, stop), "config-publisher-" + p);
                t.start();
                clients.add(t);
            }
            long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
            // a killed member can take 30 s to serve again on a starved 2-core machine: the run
            // goes on past its time until it has its faults, for at most as long again
            long latest = end + TimeUnit.SECONDS.toNanos(SECONDS);
            Random random = new Random();
            int round = 0;
            try {
                while (System.nanoTime() < end || (injected(faults) < MIN_FAULTS && System.nanoTime() < latest)) {
                    Thread.sleep(1000 + random.nextInt(2000));
                    injectFault(cluster, firewall, random, faults, faultSpans, start, round++);
                }
            } catch (IllegalStateException | StatusRuntimeException e) {
                // a member that exited by itself, would not come back, or a call that failed: checked and reported all the same
                faultFailure = e;
                faults.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: the run stops: " + e.getMessage());
            } finally {
                stop.set(true);
                for (Thread t : clients) {
                    t.join(DEADLINE_MS + 25_000); // a lock client may be waiting out a stalled holder
                }
            }
            assertThat(clients).as("clients stopped").noneMatch(Thread::isAlive);
            for (CairnProcess m : cluster.members()) {
                if (!m.isAlive()) {
                    m.start();
                }
            }
            finalReads(cluster, history);
            for (long generation = 0; generation <= listGeneration(start); generation++) {
                List<String> keys = listKeys(generation);
                lists.add(settledRead(cluster, kv -> readLists(-1, kv, keys, System.nanoTime()).op()));
            }
            long to = settledRead(cluster, RegisterRobustnessIT::storeRevision);
            long seenUntil = System.nanoTime();
            Map<String, List<WatchCompleteness.Seen>> seen = new java.util.TreeMap<>();
            Map<String, Long> deletedAt = new HashMap<>();
            List<WatchCompleteness.Seen> events = null; // the store's history, from a watcher that saw all of it
            for (RangeWatcher w : watchers) {
                // a watcher parked on a member that was paused or restarted last gets there a little later
                boolean caughtUp = w.awaitRevision(to, 60_000);
                w.close();
                seen.put(w.name(), w.seen());
                Map<Long, Long> arrivals = w.arrivals();
                for (WatchCompleteness.Seen s : w.seen()) {
                    if (s.value() == null && s.key().startsWith(LeaseClient.PREFIX) && arrivals.containsKey(s.revision())) {
                        deletedAt.merge(s.key(), arrivals.get(s.revision()), Math::min);
                    }
                }
                if (caughtUp && events == null) {
                    events = w.seen();
                }
                watchSummary.add(w.name() + ": " + w.seen().size() + " events, " + w.reconnects() + " reconnects"
                        + (caughtUp ? "" : ", not caught up with revision " + to + " after 60 s"));
            }
            watchAnomalies.addAll(WatchCompleteness.check(seen, from, to, List.copyOf(history)));
            assertThat(events).as("a watcher that saw every revision").isNotNull();
            lockAnomalies.addAll(LockFencing.check(events, LockClient.PREFIX, LockClient.RESOURCE, List.copyOf(fencedWrites)));
            leaseAnomalies.addAll(LeaseExpiry.check(List.copyOf(leases), deletedAt, List.copyOf(faultSpans),
                    ELECTION_NANOS, REVOKE_SLACK_NANOS, seenUntil));
            long lastChange = events.stream().filter(e -> e.key().startsWith(RegistryClient.PREFIX) && e.revision() <= to)
                    .mapToLong(WatchCompleteness.Seen::revision).max().orElse(0);
            for (RegistrySubscriber s : subscribers) {
                boolean caughtUp = s.awaitRevision(lastChange, 60_000);
                s.close();
                told.put(s.name(), s.told());
                subscriptionSummary.add(s.name() + ": " + s.told().size() + " responses, " + s.reconnects() + " reconnects"
                        + (caughtUp ? "" : ", not told of revision " + lastChange + " after 60 s"));
            }
            subscriptionAnomalies.addAll(SubscriptionCheck.check(events, RegistryClient.PREFIX, told, to));
            long lastPublish = events.stream().filter(e -> e.key().startsWith(ConfigPublisher.PREFIX) && e.revision() <= to)
                    .mapToLong(WatchCompleteness.Seen::revision).max().orElse(0);
            for (ConfigListener l : configListeners) {
                boolean caughtUp = l.awaitRevision(lastPublish, 60_000);
                l.close();
                heard.put(l.name(), l.heard());
                configSummary.add(l.name() + ": " + l.heard().stream().mapToInt(r -> r.versions().size()).sum()
                        + " versions, " + l.reconnects() + " reconnects"
                        + (caughtUp ? "" : ", not at revision " + lastPublish + " after 60 s"));
            }
            configAnomalies.addAll(ConfigListenCheck.check(events, ConfigPublisher.PREFIX, heard, to, List.copyOf(published)));
        } finally {
            for (RangeWatcher w : watchers) {
                w.close();
            }
            for (RegistrySubscriber s : subscribers) {
                s.close();
            }
            for (ConfigListener l : configListeners) {
                l.close();
            }
            Files.createDirectories(reports);
            try (var logs = Files.newDirectoryStream(dir, "*.log")) {
                for (Path log : logs) {
                    Files.copy(log, reports.resolve(log.getFileName()));
                }
            }
        }
        List<RegisterOp> recorded = List.copyOf(history);
        Linearizability.Verdict verdict = Linearizability.check(recorded);
        List<ListOp> listHistory = List.copyOf(lists);
        List<String> listAnomalies = ListAppendCheck.check(listHistory);
        Path report = report(reports, members, recorded, faults, verdict, watchSummary, watchAnomalies, listHistory, listAnomalies);
        appendLocksAndLeases(report, List.copyOf(fencedWrites), lockAnomalies, List.copyOf(leases), leaseAnomalies);
        appendSubscriptions(report, subscriptionSummary, subscriptionAnomalies);
        appendConfigs(report, published.size(), configSummary, configAnomalies);
        Files.writeString(reports.resolve("latency.svg"), chart(start, recorded, listHistory, List.copyOf(faults)));
        long ok = recorded.stream().filter(op -> op.outcome() == RegisterOp.Outcome.OK).count();
        assertThat(faultFailure).as("the faults went as planned (report: %s)", report).isNull();
        assertThat(injected(faults)).as("faults injected: %s", faults).isGreaterThanOrEqualTo(MIN_FAULTS);
        assertThat(ok).as("operations answered").isGreaterThan(100);
        assertThat(verdict.linearizable()).as("%s (report: %s)", verdict, report).isTrue();
        assertThat(watchAnomalies).as("watch anomalies (report: %s)", report).isEmpty();
        assertThat(listHistory.stream().filter(op -> op.kind() == ListOp.Kind.APPEND && op.outcome() == ListOp.Outcome.OK))
                .as("appends acknowledged").hasSizeGreaterThan(20);
        assertThat(listAnomalies).as("list-append anomalies (report: %s)", report).isEmpty();
        assertThat(fencedWrites.stream().filter(w -> w.outcome() == LockFencing.Write.Outcome.OK))
                .as("fenced writes acknowledged").hasSizeGreaterThan(5);
        assertThat(lockAnomalies).as("lock anomalies (report: %s)", report).isEmpty();
        assertThat(leases).as("leases left to expire").hasSizeGreaterThan(5);
        assertThat(leaseAnomalies).as("lease anomalies (report: %s)", report).isEmpty();
        assertThat(told.values()).as("subscribers told of changes").allMatch(responses ->
                responses.stream().mapToInt(r -> r.changes().size()).sum() > 10);
        assertThat(subscriptionAnomalies).as("subscription anomalies (report: %s)", report).isEmpty();
        assertThat(published).as("config publishes acknowledged").hasSizeGreaterThan(10);
        assertThat(configAnomalies).as("config listen anomalies (report: %s)", report).isEmpty();
    }

    /** The store's revision, read linearizably through {@code kv}. */
    private static long storeRevision(KVGrpc.KVBlockingStub kv) {
        return kv.range(RangeRequest.newBuilder().setKey(bytes(PREFIX)).setRangeEnd(bytes(PREFIX_END)).setCountOnly(true).build())
                .getHeader().getRevision();
    }

    /** How long the cluster may take, once the faults stop, to answer the final reads. */
    private static final long SETTLED_NANOS = TimeUnit.MINUTES.toNanos(2);

    /**
     * A read outside the clients' history (the first revision, the final reads): once the faults
     * stop, a member last added back may still be installing a snapshot and the others electing
     * a leader, so a read that fails is tried again, on the next member, until the cluster has
     * had {@link #SETTLED_NANOS} to settle. A cluster that does not answer by then fails the run.
     */
    private static <T> T settledRead(CairnCluster cluster, java.util.function.Function<KVGrpc.KVBlockingStub, T> read)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLED_NANOS;
        try (MemberChannel channel = new MemberChannel(cluster, 0)) {
            while (true) {
                try {
                    return read.apply(KVGrpc.newBlockingStub(channel.get()).withDeadlineAfter(10, TimeUnit.SECONDS));
                } catch (StatusRuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    channel.next();
                    Thread.sleep(500);
                }
            }
        }
    }

    private static void runClient(int process, CairnCluster cluster, List<RegisterOp> history, AtomicBoolean stop) {
        Random random = new Random(process);
        Map<String, String> lastSeen = new HashMap<>();
        MemberChannel channel = new MemberChannel(cluster, process);
        int written = 0;
        while (!stop.get()) {
            String key = PREFIX + random.nextInt(KEYS);
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
            int dice = random.nextInt(10);
            String value = "p" + process + "-" + written++;
            String expected = lastSeen.get(key);
            long invoked = System.nanoTime();
            try {
                if (dice < 4) {
                    RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(bytes(key)).build());
                    String seen = r.getCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
                    history.add(RegisterOp.read(process, key, seen, invoked, System.nanoTime()));
                    lastSeen.put(key, seen);
                } else if (dice < 8) {
                    kv.put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
                    history.add(RegisterOp.write(process, key, value, invoked, System.nanoTime()));
                    lastSeen.put(key, value);
                } else {
                    boolean swapped = kv.txn(casRequest(key, expected, value)).getSucceeded();
                    history.add(RegisterOp.cas(process, key, expected, value, swapped, invoked, System.nanoTime()));
                    if (swapped) {
                        lastSeen.put(key, value);
                    }
                }
            } catch (RuntimeException e) {
                if (dice >= 4) { // a write or swap that failed may still have been applied
                    RegisterOp sent = dice < 8 ? RegisterOp.write(process, key, value, invoked, 0)
                            : RegisterOp.cas(process, key, expected, value, false, invoked, 0);
                    history.add(sent.unknown());
                }
                channel.next();
            }
        }
        channel.close();
    }

    /**
     * Reads one or two lists at one revision, then, half the time, appends a new element to each
     * in one txn that holds only if none of them changed since; a refused txn took no effect.
     */
    private static void runListClient(int process, CairnCluster cluster, List<ListOp> history, AtomicBoolean stop,
                                      long start) {
        Random random = new Random(process);
        MemberChannel channel = new MemberChannel(cluster, process);
        int appended = 0;
        while (!stop.get()) {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
            List<String> all = listKeys(listGeneration(start));
            Collections.shuffle(all, random);
            List<String> keys = all.subList(0, 1 + random.nextInt(2));
            String element = "p" + process + "-" + appended++;
            long appendInvoked = 0;
            try {
                ListRead read = readLists(process, kv, keys, System.nanoTime());
                history.add(read.op());
                if (random.nextBoolean()) {
                    continue;
                }
                TxnRequest.Builder append = TxnRequest.newBuilder();
                for (String key : keys) {
                    List<String> now = new ArrayList<>(read.op().read().get(key));
                    now.add(element);
                    append.addCompare(Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.MOD)
                            .setResult(Compare.CompareResult.EQUAL).setModRevision(read.revisions().get(key)))
                            .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                                    .setKey(bytes(key)).setValue(bytes(String.join(",", now)))));
                }
                appendInvoked = System.nanoTime();
                boolean applied = kv.txn(append.build()).getSucceeded();
                history.add(ListOp.append(process, keys, element, applied ? ListOp.Outcome.OK : ListOp.Outcome.FAILED,
                        appendInvoked, System.nanoTime()));
            } catch (RuntimeException e) {
                if (appendInvoked != 0) { // sent: it may have been applied
                    history.add(ListOp.append(process, keys, element, ListOp.Outcome.UNKNOWN, appendInvoked, 0));
                }
                channel.next();
            }
        }
        channel.close();
    }

    /** A read of lists, and the mod revision each list had (0: absent). */
    private record ListRead(ListOp op, Map<String, Long> revisions) {
    }

    /** Reads {@code keys}' lists in one txn, so at one revision. */
    private static ListRead readLists(int process, KVGrpc.KVBlockingStub kv, List<String> keys, long invoked) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        keys.forEach(k -> txn.addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(k)))));
        io.cairn.api.etcd.TxnResponse r = kv.txn(txn.build());
        long completed = System.nanoTime();
        Map<String, List<String>> lists = new java.util.LinkedHashMap<>();
        Map<String, Long> revisions = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            RangeResponse range = r.getResponses(i).getResponseRange();
            String value = range.getCount() == 0 ? "" : range.getKvs(0).getValue().toStringUtf8();
            lists.put(keys.get(i), value.isEmpty() ? List.of() : List.of(value.split(",")));
            revisions.put(keys.get(i), range.getCount() == 0 ? 0L : range.getKvs(0).getModRevision());
        }
        return new ListRead(ListOp.read(process, lists, invoked, completed), revisions);
    }

    /** The list keys clients append to {@code generation} times {@link #LIST_KEYS_NANOS} into the run. */
    private static List<String> listKeys(long generation) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < LIST_KEYS; k++) {
            keys.add(LIST_PREFIX + generation + "/" + k);
        }
        return keys;
    }

    private static long listGeneration(long start) {
        return (System.nanoTime() - start) / LIST_KEYS_NANOS;
    }

    private static TxnRequest casRequest(String key, String expected, String value) {
        Compare compare = expected == null
                ? Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0).build()
                : Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(bytes(expected)).build();
        return TxnRequest.newBuilder().addCompare(compare).addSuccess(RequestOp.newBuilder()
                .setRequestPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)))).build();
    }

    /** The members, each in a cgroup of {@code firewall} when there is one (null: no partitions here). */
    private static CairnCluster start(Path dir, PeerFirewall firewall) throws IOException, InterruptedException {
        CairnCluster cluster = CairnCluster.prepare(dir, MEMBERS);
        return (firewall == null ? cluster : cluster.confinedBy(firewall)).start();
    }

    /**
     * Every third round from the second, removes a follower and adds it back; otherwise steps
     * the leader's wall clock for a while (a round in four), kills a member (the leader half the
     * time) and starts it again, pauses one for a while, or (where the firewall works) cuts it
     * off from the others or from one of them for a while.
     */
    private static void injectFault(CairnCluster cluster, PeerFirewall firewall, Random random, List<String> faults,
                                    List<LeaseExpiry.Span> spans, long start, int round) throws Exception {
        CairnProcess target = cluster.member(random.nextInt(cluster.members().size()));
        CairnProcess leader = null;
        try {
            leader = cluster.awaitLeader(5000);
        } catch (IllegalStateException e) {
            // no leader for now (an election under way): the random member will do
        }
        boolean membership = leader != null && round % 3 == 1;
        if (membership) {
            List<CairnProcess> followers = new ArrayList<>(cluster.members());
            followers.remove(leader);
            target = followers.get(random.nextInt(followers.size()));
        } else if (leader != null && random.nextBoolean()) {
            target = leader;
        }
        long began = System.nanoTime();
        long at = TimeUnit.NANOSECONDS.toMillis(began - start);
        try {
            if (membership) {
                removeAndAddBack(cluster, leader, cluster.members().indexOf(target), faults, start);
            } else if (leader != null && random.nextInt(4) == 0) {
                stepClock(leader, random, faults, start, at);
            } else {
                if (firewall != null && random.nextInt(3) == 0) {
                    partition(cluster, firewall, target, random, faults, start, at);
                } else {
                    killOrPause(target, random, faults, start, at);
                }
            }
        } finally {
            spans.add(new LeaseExpiry.Span(began, System.nanoTime() + SETTLE_NANOS));
        }
    }

    /**
     * Steps the leader's wall clock by half a minute to two hours, forward or back, and sets it
     * right a few seconds later. Leases and raft time themselves by the monotonic clock, which a
     * step leaves alone, so no checker may see a difference.
     */
    private static void stepClock(CairnProcess leader, Random random, List<String> faults, long start, long at)
            throws Exception {
        long offsetMs = (random.nextBoolean() ? 1 : -1) * TimeUnit.SECONDS.toMillis(30 + random.nextInt(7170));
        try {
            leader.stepClock(offsetMs);
            faults.add(at + " ms: clock of " + leader.name() + " stepped " + (offsetMs > 0 ? "+" : "") + offsetMs / 1000 + " s");
            Thread.sleep(2000 + random.nextInt(4000));
        } finally {
            leader.stepClock(0);
        }
        faults.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: clock of " + leader.name() + " set right");
    }

    /** Cuts {@code target} off from every other member, or from one, for a few seconds. */
    private static void partition(CairnCluster cluster, PeerFirewall firewall, CairnProcess target, Random random,
                                  List<String> faults, long start, long at) throws Exception {
        List<CairnProcess> others = new ArrayList<>(cluster.members());
        others.remove(target);
        List<CairnProcess> cut = random.nextBoolean() ? others : List.of(others.get(random.nextInt(others.size())));
        try {
            for (CairnProcess other : cut) {
                firewall.cut(target, other);
            }
            faults.add(at + " ms: partition " + target.name() + " | "
                    + String.join(",", cut.stream().map(CairnProcess::name).toList()));
            Thread.sleep(2000 + random.nextInt(4000));
        } finally {
            firewall.heal();
        }
        faults.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: healed");
    }

    /**
     * Removes a follower from the cluster through the leader, as an operator would (it stops by
     * itself), then adds it back as a new member with an empty data dir on the same address.
     */
    private static void removeAndAddBack(CairnCluster cluster, CairnProcess leader, int index, List<String> faults,
                                         long start) throws Exception {
        CairnProcess follower = cluster.member(index);
        io.cairn.api.etcd.StatusResponse status = CairnCluster.status(follower);
        if (status == null) {
            return; // not answering: no id to remove it by
        }
        ManagedChannel channel = leader.channel();
        try {
            long id = status.getHeader().getMemberId();
            try {
                ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).memberRemove(
                        MemberRemoveRequest.newBuilder().setID(id).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED || listed(cluster, id)) {
                    // refused, as etcd refuses a change while an earlier one is under way: no fault
                    faults.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: removing "
                            + follower.name() + " refused: " + e.getStatus());
                    return;
                }
            }
            faults.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: removed " + follower.name());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (follower.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (follower.isAlive()) {
                faults.add(follower.name() + " did not stop by itself within 15 s of its removal: SIGKILL");
                follower.kill();
            }
            addBack(cluster, follower);
            // under the clients' load it may lag for long: the run goes on once it serves
            cluster.rejoin(index).launch().awaitServing(java.time.Duration.ofMinutes(2));
            faults.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + follower.name()
                    + " added back, empty");
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Adds {@code follower}'s address back, through whichever member leads, until the cluster
     * takes it: it refuses while raft's configuration still lists the removed member.
     */
    private static void addBack(CairnCluster cluster, CairnProcess follower) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        StatusRuntimeException last = null;
        while (System.nanoTime() < deadline) {
            ManagedChannel channel = null;
            try {
                channel = cluster.awaitLeader(5000).channel();
                ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).memberAdd(
                        MemberAddRequest.newBuilder().addPeerURLs(follower.peerUrl()).build());
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getDescription() != null && e.getStatus().getDescription().contains("Peer URLs already exists")) {
                    return; // an attempt that timed out was applied after all
                }
                last = e;
            } catch (IllegalStateException noLeaderYet) {
                // asked again below
            } finally {
                if (channel != null) {
                    channel.shutdownNow();
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the cluster did not take " + follower.name() + " back within a minute: " + last);
    }

    /** Whether the cluster's member table lists {@code id}, asked of any member that answers. */
    private static boolean listed(CairnCluster cluster, long id) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            for (CairnProcess m : cluster.members()) {
                if (!m.isAlive()) {
                    continue;
                }
                ManagedChannel channel = m.channel();
                try {
                    return ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .memberList(io.cairn.api.etcd.MemberListRequest.getDefaultInstance())
                            .getMembersList().stream().anyMatch(member -> member.getID() == id);
                } catch (StatusRuntimeException e) {
                    // the next member
                } finally {
                    channel.shutdownNow();
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no member lists the cluster's members");
    }

    private static void killOrPause(CairnProcess target, Random random, List<String> faults, long start, long at)
            throws Exception {
        if (random.nextBoolean()) {
            target.kill();
            faults.add(at + " ms: SIGKILL " + target.name());
            Thread.sleep(500 + random.nextInt(1500));
            target.launch().awaitServing(java.time.Duration.ofMinutes(2)); // as after a removal
            faults.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + target.name() + " restarted");
        } else {
            target.signal("STOP");
            faults.add(at + " ms: SIGSTOP " + target.name());
            Thread.sleep(1000 + random.nextInt(3000));
            target.signal("CONT");
            faults.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: SIGCONT " + target.name());
        }
    }

    private static long injected(List<String> faults) {
        synchronized (faults) {
            return faults.stream().filter(f -> f.contains(": SIGKILL") || f.contains("SIGSTOP") || f.contains("removed")
                    || f.contains(": partition") || f.contains(" stepped ")).count();
        }
    }

    /** One last linearizable read of every key, once the cluster is whole again. */
    private static void finalReads(CairnCluster cluster, List<RegisterOp> history) throws Exception {
        for (int k = 0; k < KEYS; k++) {
            String key = PREFIX + k;
            history.add(settledRead(cluster, kv -> {
                long invoked = System.nanoTime();
                RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(bytes(key)).build());
                return RegisterOp.read(-1, key, r.getCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8(),
                        invoked, System.nanoTime());
            }));
        }
    }

    private static Path report(Path dir, String members, List<RegisterOp> history, List<String> faults, Linearizability.Verdict verdict,
                               List<String> watchSummary, List<String> watchAnomalies, List<ListOp> lists,
                               List<String> listAnomalies) throws Exception {
        Path file = dir.resolve("report.txt");
        Map<String, Long> byOutcome = new java.util.TreeMap<>();
        history.forEach(op -> byOutcome.merge(op.kind() + " " + op.outcome(), 1L, Long::sum));
        lists.forEach(op -> byOutcome.merge("list " + op.kind() + " " + op.outcome(), 1L, Long::sum));
        StringBuilder out = new StringBuilder("Registers under faults: " + SECONDS + " s, " + CLIENTS + " clients, "
                + KEYS + " keys, " + members + "\n\nFaults:\n");
        faults.forEach(f -> out.append("  ").append(f).append('\n'));
        out.append("\nOperations:\n");
        byOutcome.forEach((k, n) -> out.append("  ").append(k).append(": ").append(n).append('\n'));
        out.append("\nVerdict: ").append(verdict).append('\n');
        out.append("\nLists (").append(LIST_CLIENTS).append(" clients, ").append(LIST_KEYS).append(" keys at a time, new ones every ")
                .append(TimeUnit.NANOSECONDS.toSeconds(LIST_KEYS_NANOS)).append(" s): ")
                .append(listAnomalies.isEmpty() ? "no anomaly\n" : "anomalies:\n");
        listAnomalies.forEach(a -> out.append("    ").append(a).append('\n'));
        out.append("\nWatchers:\n");
        watchSummary.forEach(w -> out.append("  ").append(w).append('\n'));
        out.append(watchAnomalies.isEmpty() ? "  no anomaly\n" : "  anomalies:\n");
        watchAnomalies.forEach(a -> out.append("    ").append(a).append('\n'));
        Files.writeString(file, out);
        return file;
    }

    /** The register and list clients' latency over the run, with the faults marked. */
    private static String chart(long start, List<RegisterOp> registers, List<ListOp> lists, List<String> faults) {
        List<LatencyChart.Op> ops = new ArrayList<>();
        for (RegisterOp op : registers) {
            if (op.process() >= 0) {
                ops.add(new LatencyChart.Op(op.invoked() - start,
                        op.outcome() == RegisterOp.Outcome.UNKNOWN ? -1 : op.completed() - op.invoked()));
            }
        }
        for (ListOp op : lists) {
            if (op.process() >= 0) {
                ops.add(new LatencyChart.Op(op.invoked() - start,
                        op.outcome() == ListOp.Outcome.UNKNOWN ? -1 : op.completed() - op.invoked()));
            }
        }
        return LatencyChart.svg("Register and list operations under faults, " + SECONDS + " s", ops, faults);
    }

    private static void appendSubscriptions(Path report, List<String> summary, List<String> anomalies) throws Exception {
        appendSection(report, "Registry (" + REGISTRY_CLIENTS + " clients) and its subscribers", summary, anomalies);
    }

    private static void appendConfigs(Path report, int published, List<String> summary, List<String> anomalies)
            throws Exception {
        appendSection(report, "Config (" + CONFIG_PUBLISHERS + " publisher, " + published
                + " publishes acknowledged) and its listeners", summary, anomalies);
    }

    private static void appendSection(Path report, String title, List<String> summary, List<String> anomalies)
            throws Exception {
        StringBuilder out = new StringBuilder("\n").append(title).append(":\n");
        summary.forEach(s -> out.append("  ").append(s).append('\n'));
        out.append(anomalies.isEmpty() ? "  no anomaly\n" : "  anomalies:\n");
        anomalies.forEach(a -> out.append("    ").append(a).append('\n'));
        Files.writeString(report, out, java.nio.file.StandardOpenOption.APPEND);
    }

    private static void appendLocksAndLeases(Path report, List<LockFencing.Write> writes, List<String> lockAnomalies,
                                             List<LeaseExpiry.Lease> leases, List<String> leaseAnomalies) throws Exception {
        Map<String, Long> byOutcome = new java.util.TreeMap<>();
        writes.forEach(w -> byOutcome.merge(w.outcome().toString(), 1L, Long::sum));
        StringBuilder out = new StringBuilder("\nLock (").append(LOCK_CLIENTS).append(" clients): fenced writes ")
                .append(byOutcome).append(", ").append(lockAnomalies.isEmpty() ? "no anomaly\n" : "anomalies:\n");
        lockAnomalies.forEach(a -> out.append("    ").append(a).append('\n'));
        out.append("\nLeases (").append(LEASE_CLIENTS).append(" clients): ").append(leases.size()).append(" left to expire, ")
                .append(leaseAnomalies.isEmpty() ? "no anomaly\n" : "anomalies:\n");
        leaseAnomalies.forEach(a -> out.append("    ").append(a).append('\n'));
        Files.writeString(report, out, java.nio.file.StandardOpenOption.APPEND);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
