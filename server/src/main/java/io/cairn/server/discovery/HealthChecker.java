package io.cairn.server.discovery;

import com.google.protobuf.ByteString;
import io.cairn.api.discovery.FlapDamping;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.Status;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active checks of persistent instances, on the leader only: each instance is probed
 * every interval, and only a change of what {@link CheckVerdicts} makes of the results — DOWN
 * after failure_threshold failures in a row, UP again after success_threshold passes, held DOWN
 * while flapping — is written, as a txn conditional on the instance not having changed since it
 * was read. A new leader starts counting afresh.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    static final long TICK_MS = 250;
    static final long SCAN_MS = 2000;

    private final Supplier<List<Checked>> checkedInstances;
    private final Function<TxnRequest, CompletableFuture<TxnResponse>> write;
    private final Function<Instance, CompletableFuture<Boolean>> probe;
    private final Runnable retainChannels;
    private final LongSupplier clockMs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-health");
        t.setDaemon(true);
        return t;
    });
    /** By instance key; touched only on the timer thread. */
    private final Map<ByteString, Tally> tallies = new HashMap<>();
    private volatile boolean leading;
    /** The checked instances as last read, and when (timer thread only). */
    private List<Checked> checked = List.of();
    private long scannedAtMs = Long.MIN_VALUE / 2;

    /**
     * @param checkedInstances the persistent instances that have a check, as this member has them
     * @param write            proposes a txn as the member itself (no client's permissions)
     * @param clockMs          a monotonic clock in milliseconds: intervals and holds timed by the
     *                         wall clock would stop for as long as it was set back
     */
    public HealthChecker(Supplier<List<Checked>> checkedInstances, Function<TxnRequest, CompletableFuture<TxnResponse>> write,
                         Function<Instance, CompletableFuture<Boolean>> probe, Runnable retainChannels, LongSupplier clockMs) {
        this.checkedInstances = checkedInstances;
        this.write = write;
        this.probe = probe;
        this.retainChannels = retainChannels;
        this.clockMs = clockMs;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    public void leadership(boolean leader) {
        leading = leader;
    }

    /** A checked instance, and its service's flap damping (defaults filled in; null for none). */
    public record Checked(Instance instance, FlapDamping damping) {
    }

    /** One instance's verdicts so far, and whether a check or a write is under way. */
    private static final class Tally {
        final CheckVerdicts verdicts = new CheckVerdicts();
        long dueMs;
        boolean probing;
        boolean writing;
    }

    private void tick() {
        try {
            if (!leading) {
                tallies.clear();
                checked = List.of();
                scannedAtMs = Long.MIN_VALUE / 2;
                retainChannels.run(); // with nothing checked, the gRPC channels close
                return;
            }
            long now = clockMs.getAsLong();
            if (now - scannedAtMs >= SCAN_MS) {
                // reading the whole registry is the costly part: the list is read again every
                // SCAN_MS (and after each status written); probes between use the last one
                checked = checkedInstances.get();
                scannedAtMs = now;
            }
            Set<ByteString> seen = new HashSet<>();
            for (Checked checkedInstance : checked) {
                Instance i = checkedInstance.instance();
                ByteString key = RegistryKeys.instance(i.getNamespace(), i.getService(), i.getId());
                seen.add(key);
                Tally t = tallies.computeIfAbsent(key, k -> new Tally());
                if (i.getStatus() == Status.OUT_OF_SERVICE || t.probing || t.writing || t.dueMs > now) {
                    continue;
                }
                t.probing = true;
                t.dueMs = now + i.getCheck().getIntervalMs();
                probeSafely(i).thenAcceptAsync(passed -> judge(key, checkedInstance, t, passed), timer);
            }
            tallies.keySet().retainAll(seen);
            retainChannels.run();
        } catch (RuntimeException e) {
            log.warn("Health checks skipped a round: {}", e.toString());
        }
    }

    /** A probe that cannot even start (an address no URI takes) is a failed check, not a stuck one. */
    private CompletableFuture<Boolean> probeSafely(Instance i) {
        try {
            return probe.apply(i).exceptionally(e -> false);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    private void judge(ByteString key, Checked checkedInstance, Tally t, boolean passed) {
        t.probing = false;
        if (!leading || tallies.get(key) != t) {
            return;
        }
        Instance i = checkedInstance.instance();
        CheckVerdicts.Verdict next = t.verdicts.judge(i, passed, checkedInstance.damping(), clockMs.getAsLong());
        if (next == null) {
            return;
        }
        t.writing = true;
        Instance changed = i.toBuilder().setStatus(next.status()).setFlapping(next.flapping()).build();
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
                        .setResult(Compare.CompareResult.EQUAL).setModRevision(i.getRevision()))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)
                        .setValue(InstanceCodec.encode(changed))))
                .build();
        write.apply(txn).whenCompleteAsync((r, failure) -> {
            t.writing = false;
            scannedAtMs = Long.MIN_VALUE / 2; // read the registry again on the next tick
            if (failure == null && r.getSucceeded()) {
                log.info("Instance {} of {}/{} is now {}{} ({} at {})", i.getId(), i.getNamespace(), i.getService(),
                        next.status(), flapNote(i, next, checkedInstance.damping()),
                        i.getCheck().getKindCase().name().toLowerCase(), HealthProbes.address(i));
            }
        }, timer);
    }

    private static String flapNote(Instance before, CheckVerdicts.Verdict next, FlapDamping d) {
        if (next.flapping()) {
            return ", held for flapping (its health changed over " + d.getChanges() + " times in " + d.getWindowMs()
                    + " ms; released once stable for " + d.getHoldMs() + " ms)";
        }
        return before.getFlapping() ? ", no longer flapping" : "";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
