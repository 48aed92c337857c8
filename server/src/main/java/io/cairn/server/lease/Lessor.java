package io.cairn.server.lease;

import io.cairn.server.errors.ServerError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The leader's clock for leases: when each expires, on a monotonic clock, renewals, and which
 * have expired. Nothing here is replicated; a new leader starts every lease afresh from its
 * checkpointed (or full) TTL plus an election timeout, so no lease expires early because the
 * leader changed. Promotion, demotion and renewal are serialised, so a renewal either happens
 * while this member leads or is refused.
 */
public final class Lessor {
    private final LeaseStore store;
    private final LongSupplier nanoClock;
    private final long extendNanos;
    private final Map<Long, Long> expiry = new ConcurrentHashMap<>();
    private volatile boolean primary;

    public Lessor(LeaseStore store, LongSupplier nanoClock, long extendMillis) {
        this.store = store;
        this.nanoClock = nanoClock;
        this.extendNanos = TimeUnit.MILLISECONDS.toNanos(extendMillis);
    }

    public boolean isPrimary() {
        return primary;
    }

    /** This member became leader: every lease runs from now. */
    public synchronized void promote() {
        expiry.clear();
        primary = true; // first, so that a lease granted meanwhile gets its clock from granted()
        long now = nanoClock.getAsLong();
        for (LeaseStore.Lease l : store.all()) {
            long seconds = l.remainingTtl() > 0 ? l.remainingTtl() : l.ttl();
            expiry.put(l.id(), now + TimeUnit.SECONDS.toNanos(seconds) + extendNanos);
        }
    }

    /** This member is no longer leader: it expires nothing. */
    public synchronized void demote() {
        primary = false;
        expiry.clear();
    }

    /** A lease was granted (applied): on the leader its clock starts. */
    public void granted(long id, long ttl) {
        if (primary) {
            expiry.put(id, nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(ttl));
        }
    }

    public void removed(long id) {
        expiry.remove(id);
    }

    /**
     * Renews a lease on the leader and returns its TTL.
     *
     * @throws io.cairn.server.errors.ServerException {@code NOT_LEADER} unless this member leads
     *     (the caller asks the leader instead); {@code LEASE_NOT_FOUND} if the lease does not
     *     exist or its time is up: its revoke is under way, or about to be, and a renewal would
     *     promise time that its keys do not have
     */
    public synchronized long renew(long id) {
        if (!primary) {
            throw ServerError.NOT_LEADER.exception();
        }
        LeaseStore.Lease lease = store.get(id);
        Long at = expiry.get(id);
        long now = nanoClock.getAsLong();
        if (lease == null || (at != null && at - now <= 0)) {
            throw ServerError.LEASE_NOT_FOUND.exception();
        }
        expiry.put(id, now + TimeUnit.SECONDS.toNanos(lease.ttl()));
        return lease.ttl();
    }

    /** Whole seconds left before a lease expires, as etcd reports them, or -1 if it does not exist. */
    public long remainingSeconds(long id) {
        Long at = expiry.get(id);
        if (store.get(id) == null || at == null) {
            return -1;
        }
        return Math.max(0, TimeUnit.NANOSECONDS.toSeconds(at - nanoClock.getAsLong()));
    }

    /** Up to {@code limit} leases whose time is up, the longest expired first. */
    public List<Long> expired(int limit) {
        long now = nanoClock.getAsLong();
        List<Map.Entry<Long, Long>> due = new ArrayList<>();
        for (Map.Entry<Long, Long> e : expiry.entrySet()) {
            if (e.getValue() - now <= 0) {
                due.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        due.sort(Map.Entry.comparingByValue());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, due.size()); i++) {
            ids.add(due.get(i).getKey());
        }
        return ids;
    }

    /** Seconds each lease has left, for a checkpoint (at least 1, so a checkpoint never means "full TTL"). */
    public Map<Long, Long> remainingForCheckpoint() {
        long now = nanoClock.getAsLong();
        Map<Long, Long> remaining = new java.util.TreeMap<>();
        for (Map.Entry<Long, Long> e : expiry.entrySet()) {
            remaining.put(e.getKey(), Math.max(1, TimeUnit.NANOSECONDS.toSeconds(e.getValue() - now)));
        }
        return remaining;
    }
}
