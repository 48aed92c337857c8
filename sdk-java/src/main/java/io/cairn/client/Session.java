package io.cairn.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lease kept alive for as long as the session is open, for locks, elections and
 * registrations to hang on (etcd's {@code concurrency.Session}). The session is lost when the
 * server says the lease is gone, or when no renewal has been answered for a whole TTL (the
 * lease may have expired on the server meanwhile): {@link #lost()} completes then, once, and
 * whatever hung on the lease must be taken again in a new session. Closing the session revokes
 * the lease, so locks are released and registrations removed at once rather than after a TTL.
 *
 * <p>Thread-safe. {@link #lost()} completes on a client thread; do not block in its callbacks.
 */
public final class Session implements AutoCloseable {
    private final Lease lease;
    private final long id;
    private final long ttlNanos;
    private final Lease.KeepAlive keepAlive;
    private final ScheduledFuture<?> watchdog;
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private volatile long renewedNanos = System.nanoTime();
    private volatile boolean closed;

    private Session(Lease lease, long id, long ttlSeconds, Calls calls) {
        this.lease = lease;
        this.id = id;
        this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
        this.keepAlive = lease.keepAlive(id, this::renewed);
        long checkMs = Math.max(100, TimeUnit.NANOSECONDS.toMillis(ttlNanos) / 10);
        this.watchdog = calls.timer().scheduleWithFixedDelay(this::check, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    static CompletableFuture<Session> open(Lease lease, Calls calls, Duration ttl) {
        long seconds = Math.max(1, ttl.toSeconds());
        return lease.grant(seconds).thenApply(grant -> new Session(lease, grant.id(), grant.ttl(), calls));
    }

    /**
     * A session on a lease granted by another call (a registration grants its lease with its
     * key, in one raft command), kept alive from now on.
     */
    static Session adopt(Lease lease, Calls calls, long leaseId, long ttlSeconds) {
        return new Session(lease, leaseId, ttlSeconds, calls);
    }

    /** The session's lease: attach keys to it with {@link Put#lease}. */
    public long leaseId() {
        return id;
    }

    /** Completes when the session is lost; never when it is closed. */
    public CompletableFuture<Void> lost() {
        return lost.copy();
    }

    /** Whether the session was lost (see {@link #lost()}). */
    public boolean isLost() {
        return lost.isDone();
    }

    private void renewed(KeepAliveReply reply) {
        if (reply.ttl() <= 0) {
            lose();
        } else {
            renewedNanos = System.nanoTime();
        }
    }

    private void check() {
        if (System.nanoTime() - renewedNanos > ttlNanos) {
            lose();
        }
    }

    private synchronized void lose() {
        watchdog.cancel(false);
        keepAlive.close();
        if (!closed) {
            lost.complete(null);
        }
    }

    /** Stops the renewals and revokes the lease (waiting for that up to the client's timeout). */
    @Override
    public void close() {
        closeAsync().join();
    }

    /** {@link #close()} without waiting: completes when the lease is revoked, or could not be. */
    CompletableFuture<Void> closeAsync() {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            watchdog.cancel(false);
            keepAlive.close();
        }
        if (lost.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        // already gone, or unreachable: the lease then ends by itself within its TTL
        return lease.revoke(id).handle((revoked, failure) -> null);
    }
}
