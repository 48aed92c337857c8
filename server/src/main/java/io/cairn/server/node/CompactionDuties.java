package io.cairn.server.node;

import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.AlarmResponse;
import io.cairn.api.etcd.AlarmType;
import io.cairn.api.etcd.CompactionRequest;
import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.mvcc.MvccStore;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auto-compaction, on the leader: compacts history when {@link AutoCompactor} says so, and
 * clears the NOSPACE alarm once compaction has brought the database back under the quota
 * (etcd waits for a defragment and {@code etcdctl alarm disarm}). Both go through raft as the
 * commands the KV Compact and Maintenance Alarm RPCs propose. With auto-compaction off nothing
 * runs, and NOSPACE waits to be disarmed by hand, as in etcd.
 */
final class CompactionDuties implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompactionDuties.class);
    private static final long ALARM_CHECK_MS = 1_000;

    private final AutoCompaction settings;
    private final RaftNode raft;
    private final MvccStore store;
    private final AlarmStore alarms;
    private final Quota quota;
    private final LongSupplier clockMs;
    private final AutoCompactor compactor;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-auto-compaction");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean leader;
    /** A compaction or an alarm change proposed and not yet answered: never two at once. */
    private volatile boolean busy;

    /** @param clockMs a monotonic clock in milliseconds */
    CompactionDuties(AutoCompaction settings, RaftNode raft, MvccStore store, AlarmStore alarms, Quota quota,
                     LongSupplier clockMs) {
        this.settings = settings;
        this.raft = raft;
        this.store = store;
        this.alarms = alarms;
        this.quota = quota;
        this.clockMs = clockMs;
        this.compactor = settings.enabled() ? new AutoCompactor(settings) : null;
    }

    void start() {
        if (compactor == null) {
            return;
        }
        log.info("Auto-compaction on the leader: {}", settings.describe());
        long tick = compactor.tickMillis();
        timer.scheduleWithFixedDelay(this::compact, tick, tick, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::clearNoSpace, ALARM_CHECK_MS, ALARM_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Told by the state machine when this member becomes leader or stops being one. */
    void leadership(boolean leader) {
        this.leader = leader;
    }

    private void compact() {
        try {
            long target = compactor.tick(clockMs.getAsLong(), store.currentRevision(), store.compactedRevision(), leader);
            if (target == 0 || busy) {
                return;
            }
            busy = true;
            raft.propose(Command.newBuilder().setCompaction(CompactionRequest.newBuilder().setRevision(target)).build())
                    .whenComplete((r, t) -> {
                        busy = false;
                        ServerError error = error(t);
                        if (t == null) {
                            log.info("Compacted history up to revision {} (auto, {})", target, settings.describe());
                        } else if (error != ServerError.COMPACTED) { // a client compacted further meanwhile
                            log.warn("Auto-compaction to revision {} failed, will retry: {}", target, describe(t));
                        }
                    });
        } catch (RuntimeException e) {
            busy = false;
            log.warn("Auto-compaction failed, will retry: {}", e.toString());
        }
    }

    private void clearNoSpace() {
        try {
            if (!leader || busy || !alarms.isActive(AlarmType.NOSPACE) || !quota.roomAgain()) {
                return;
            }
            busy = true;
            raft.propose(Command.newBuilder().setAlarm(AlarmRequest.newBuilder()
                            .setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                            .setMemberID(0) // every member's NOSPACE alarm
                            .setAlarm(AlarmType.NOSPACE)).build())
                    .whenComplete((r, t) -> {
                        busy = false;
                        if (t != null) {
                            log.warn("Clearing the NOSPACE alarm failed, will retry: {}", describe(t));
                        } else if (((AlarmResponse) r).getAlarmsCount() > 0) {
                            log.info("NOSPACE alarm cleared: the database uses {} bytes, under {}% of the quota of {} bytes",
                                    quota.inUseBytes(), Quota.CLEAR_PERCENT, quota.quotaBytes());
                        }
                    });
        } catch (RuntimeException e) {
            busy = false;
            log.warn("Checking the NOSPACE alarm failed, will retry: {}", e.toString());
        }
    }

    private static ServerError error(Throwable t) {
        return cause(t) instanceof ServerException e ? e.error() : null;
    }

    /** What went wrong, as text: a throwable as the last log argument would print its stack. */
    private static String describe(Throwable t) {
        return cause(t).toString();
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
