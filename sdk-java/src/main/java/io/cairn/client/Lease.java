package io.cairn.client;

import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrantResponse;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseKeepAliveRequest;
import io.cairn.api.etcd.LeaseKeepAliveResponse;
import io.cairn.api.etcd.LeaseLeasesRequest;
import io.cairn.api.etcd.LeaseLeasesResponse;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.LeaseRevokeResponse;
import io.cairn.api.etcd.LeaseTimeToLiveRequest;
import io.cairn.api.etcd.LeaseTimeToLiveResponse;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Leases: time-limited grants that keys can be attached to. {@link #keepAlive} renews a lease
 * by itself (a third of its TTL after each renewal) until closed, over one stream for all of
 * the client's leases, which it reopens on another endpoint if it breaks.
 */
public final class Lease {
    private static final long TICK_MS = 200;
    private static final long UNANSWERED_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final Calls calls;
    private final Map<Long, KeepAlive> kept = new ConcurrentHashMap<>();
    private final Sync sync = new Sync();
    private StreamObserver<LeaseKeepAliveRequest> stream;
    private ScheduledFuture<?> ticker;

    Lease(Calls calls) {
        this.calls = calls;
    }

    public CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds) {
        return calls.unary(LeaseGrpc.getLeaseGrantMethod(), LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build(), false);
    }

    public CompletableFuture<LeaseRevokeResponse> revoke(long leaseId) {
        return calls.unary(LeaseGrpc.getLeaseRevokeMethod(), LeaseRevokeRequest.newBuilder().setID(leaseId).build(), false);
    }

    /** TTL -1 when the lease does not exist. */
    public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaseId, boolean withKeys) {
        return calls.unary(LeaseGrpc.getLeaseTimeToLiveMethod(),
                LeaseTimeToLiveRequest.newBuilder().setID(leaseId).setKeys(withKeys).build(), true);
    }

    public CompletableFuture<LeaseLeasesResponse> leases() {
        return calls.unary(LeaseGrpc.getLeaseLeasesMethod(), LeaseLeasesRequest.getDefaultInstance(), true);
    }

    /**
     * Renews the lease until the answer is closed, or until the lease is found gone.
     *
     * @param listener told each renewal; a TTL of 0 or less means the lease no longer exists
     */
    public KeepAlive keepAlive(long leaseId, Consumer<LeaseKeepAliveResponse> listener) {
        KeepAlive k = new KeepAlive(leaseId, listener);
        kept.put(leaseId, k);
        synchronized (this) {
            if (ticker == null) {
                ticker = calls.timer().scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
            }
        }
        return k;
    }

    public KeepAlive keepAlive(long leaseId) {
        return keepAlive(leaseId, r -> { });
    }

    public Sync sync() {
        return sync;
    }

    private void tick() {
        long now = System.nanoTime();
        StreamObserver<LeaseKeepAliveRequest> out = stream();
        if (out == null) {
            return;
        }
        for (KeepAlive k : kept.values()) {
            if (k.sentNanos != 0 && now - k.sentNanos > UNANSWERED_NANOS) {
                abandon(out); // a member that stopped answering without closing the stream
                return;
            }
            if (now - k.nextRenewalNanos >= 0) {
                k.nextRenewalNanos = now + TimeUnit.SECONDS.toNanos(1); // until its answer comes
                if (k.sentNanos == 0) {
                    k.sentNanos = now;
                }
                synchronized (this) {
                    out.onNext(LeaseKeepAliveRequest.newBuilder().setID(k.id).build());
                }
            }
        }
    }

    /** The open stream, opening one (once a token is at hand) if there is none. */
    private synchronized StreamObserver<LeaseKeepAliveRequest> stream() {
        if (stream == null && !kept.isEmpty()) {
            CompletableFuture<Void> token = calls.ensureToken();
            if (!token.isDone() || token.isCompletedExceptionally()) {
                return null;
            }
            stream = LeaseGrpc.newStub(calls.channel()).leaseKeepAlive(new StreamObserver<>() {
                @Override
                public void onNext(LeaseKeepAliveResponse r) {
                    KeepAlive k = kept.get(r.getID());
                    if (k == null) {
                        return;
                    }
                    k.sentNanos = 0;
                    if (r.getTTL() <= 0) {
                        kept.remove(r.getID());
                    } else {
                        k.nextRenewalNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, r.getTTL() / 3));
                    }
                    k.listener.accept(r);
                }

                @Override
                public void onError(Throwable t) {
                    broken();
                }

                @Override
                public void onCompleted() {
                    broken();
                }
            });
            kept.values().forEach(k -> {
                k.nextRenewalNanos = System.nanoTime();
                k.sentNanos = 0;
            });
        }
        return stream;
    }

    private synchronized void abandon(StreamObserver<LeaseKeepAliveRequest> out) {
        if (stream == out) {
            stream = null;
            out.onError(io.grpc.Status.UNAVAILABLE.withDescription("no answer to renewals").asRuntimeException());
        }
    }

    /** The stream broke (a member went away): the next tick opens another and renews at once. */
    private synchronized void broken() {
        stream = null;
    }

    synchronized void closeAll() {
        kept.clear();
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (stream != null) {
            stream.onCompleted();
            stream = null;
        }
    }

    /** One kept lease; closing it stops the renewals (the lease then expires, or is revoked). */
    public final class KeepAlive implements AutoCloseable {
        private final long id;
        private final Consumer<LeaseKeepAliveResponse> listener;
        private volatile long nextRenewalNanos = System.nanoTime();
        /** When the oldest unanswered renewal was sent; 0 for none. */
        private volatile long sentNanos;

        private KeepAlive(long id, Consumer<LeaseKeepAliveResponse> listener) {
            this.id = id;
            this.listener = listener;
        }

        public long leaseId() {
            return id;
        }

        @Override
        public void close() {
            kept.remove(id, this);
        }
    }

    /** Blocking twins of {@link Lease}'s calls. */
    public final class Sync {
        public LeaseGrantResponse grant(long ttlSeconds) {
            return Calls.await(Lease.this.grant(ttlSeconds));
        }

        public LeaseRevokeResponse revoke(long leaseId) {
            return Calls.await(Lease.this.revoke(leaseId));
        }

        public LeaseTimeToLiveResponse timeToLive(long leaseId, boolean withKeys) {
            return Calls.await(Lease.this.timeToLive(leaseId, withKeys));
        }

        public LeaseLeasesResponse leases() {
            return Calls.await(Lease.this.leases());
        }
    }
}
