package io.cairn.server.robust;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks when leased keys went, against what their clients were promised. A grant or a renewal
 * answered with TTL t promises the lease lives t seconds from when the leader handled it, so at
 * least t from when the client sent it: a key whose delete was seen before that went early.
 * After the last renewal, the key must go within its TTL plus an election timeout (and the
 * time a delete takes to commit and reach a watcher, {@code slackNanos}), unless a fault came
 * in between: a new leader rightly starts every lease afresh. Times are on one monotonic clock
 * shared by the clients and the watchers; a delete's time is when the first watcher got it, never
 * earlier than it happened.
 */
public final class LeaseExpiry {
    /**
     * One lease with one key, as its client saw it.
     *
     * @param renewedSent  when the last answered grant or renewal was sent
     * @param renewedAnswered when that answer came
     * @param settled      whether every call on it was answered (a renewal that timed out may have
     *                     taken effect late, so its key's latest time is unknown), the key's put included
     */
    public record Lease(int process, String key, long ttlSeconds, long renewedSent, long renewedAnswered,
                        boolean settled) {
    }

    /** A span of time, a fault's, in which leases may rightly be extended. */
    public record Span(long from, long to) {
    }

    private LeaseExpiry() {
    }

    /**
     * @param leases     the leases their clients stopped renewing
     * @param deletedAt  when each key's delete was first seen, by key (absent: never seen)
     * @param faults     when faults were under way, each widened by the time a cluster takes to settle after it
     * @param electionNanos an election timeout
     * @param slackNanos the time a delete may take to commit and reach a watcher
     * @param seenUntil  until when deletes were watched: a key due to go later is not checked for lateness
     */
    public static List<String> check(List<Lease> leases, Map<String, Long> deletedAt, List<Span> faults,
                                     long electionNanos, long slackNanos, long seenUntil) {
        List<String> anomalies = new ArrayList<>();
        for (Lease l : leases) {
            long ttl = TimeUnit.SECONDS.toNanos(l.ttlSeconds());
            Long deleted = deletedAt.get(l.key());
            long promised = l.renewedSent() + ttl;
            if (deleted != null && deleted < promised) {
                anomalies.add(l + ": key deleted " + TimeUnit.NANOSECONDS.toMillis(promised - deleted)
                        + " ms before its lease could end");
            }
            long due = l.renewedAnswered() + ttl + electionNanos + slackNanos;
            boolean quiet = faults.stream().noneMatch(f -> f.from() <= due && f.to() >= l.renewedSent());
            if (!l.settled() || !quiet || due > seenUntil) {
                continue;
            }
            if (deleted == null || deleted > due) {
                anomalies.add(l + ": key " + (deleted == null ? "still there" : "deleted")
                        + (deleted == null ? "" : " " + TimeUnit.NANOSECONDS.toMillis(deleted - due) + " ms")
                        + " past its TTL, an election timeout and the slack, with no fault in between");
            }
        }
        return anomalies;
    }
}
