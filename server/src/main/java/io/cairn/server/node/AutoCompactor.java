package io.cairn.server.node;

import java.util.ArrayDeque;

/**
 * When to compact and to which revision, as etcd's compactor decides it, without threads or a
 * clock of its own: {@link CompactionDuties} calls {@link #tick} every {@link #tickMillis()}
 * with the time and the store's revisions.
 *
 * <p>Periodic mode samples the current revision at every tick (a tenth of the retention, at
 * least 1 s, at most 6 min as in etcd) and compacts to the newest sample at least one retention
 * old. With a 1 h retention, at 10:00 it compacts to the revision the store had at 9:00 (or at
 * most one tick earlier). Every member samples, so a new leader can compact on time. etcd
 * compacts once per retention and spreads the work over background batches; Cairn's compaction
 * is one write transaction on the apply path, so it compacts at every tick, a tick's worth of
 * history at a time, to keep each one short.
 *
 * <p>Revision mode compacts, every {@link AutoCompaction#revisionIntervalMs()} (etcd: 5 min), to
 * the current revision minus the retention.
 *
 * <p>Either way only the leader compacts, and never to a revision at or below the compacted one.
 * Not thread-safe: one timer thread calls it.
 */
final class AutoCompactor {
    static final long MIN_TICK_MS = 1_000;
    static final long MAX_TICK_MS = 360_000;

    private record Sample(long atMs, long revision) {
    }

    private final AutoCompaction settings;
    /** Periodic mode's samples, oldest first; of those a retention old, only the newest is kept. */
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    AutoCompactor(AutoCompaction settings) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("auto-compaction is off");
        }
        this.settings = settings;
    }

    long tickMillis() {
        if (settings.mode() == AutoCompaction.Mode.REVISION) {
            return settings.revisionIntervalMs();
        }
        return Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, settings.retention() / 10));
    }

    /**
     * One tick.
     *
     * @param nowMs     a monotonic time in milliseconds
     * @param current   the store's current revision
     * @param compacted the store's compacted revision (-1 or 0 when never compacted)
     * @param leader    whether this member leads; a follower only samples
     * @return the revision to compact to, or 0 for none this tick
     */
    long tick(long nowMs, long current, long compacted, boolean leader) {
        long target = settings.mode() == AutoCompaction.Mode.REVISION
                ? current - settings.retention()
                : sampleAndPick(nowMs, current);
        return leader && target > 0 && target > compacted ? target : 0;
    }

    private long sampleAndPick(long nowMs, long current) {
        samples.addLast(new Sample(nowMs, current));
        long cutoff = nowMs - settings.retention();
        Sample oldest = samples.removeFirst();
        while (!samples.isEmpty() && samples.peekFirst().atMs() <= cutoff) {
            oldest = samples.removeFirst(); // a newer sample is a retention old too: the older one is no longer needed
        }
        samples.addFirst(oldest);
        return oldest.atMs() <= cutoff ? oldest.revision() : 0;
    }
}
