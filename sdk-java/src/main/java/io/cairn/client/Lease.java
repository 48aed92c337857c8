package io.cairn.client;

import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseKeepAliveRequest;
import io.cairn.api.etcd.LeaseKeepAliveResponse;
import io.cairn.api.etcd.LeaseLeasesRequest;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.LeaseStatus;
import io.cairn.api.etcd.LeaseTimeToLiveRequest;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Leases: time-limited grants that keys can be attached to. {@link #keepAlive} renews a lease
 * by itself (a third of its TTL after each renewal) until every hold on it is closed, over one stream for all of
 * the client's leases, which it reopens on another endpoint if it breaks. For a lease that
 * others (locks, elections, registrations) hang on, with a callback when it is lost, use a
 * {@link Session}.
 */
public final class Lease {
    private static final long TICK_MS = 200;

    private final Calls calls;
    private final Map<Long, Renewal> kept = new ConcurrentHashMap<>();
    private final Sync sync = new Sync();
    private StreamObserver<LeaseKeepAliveRequest> stream;
    private ScheduledFuture<?> ticker;

    Lease(Calls calls) {
        this.calls = calls;
    }

    /** A new lease of {@code ttlSeconds}, with an id chosen by the server. */
    public CompletableFuture<LeaseGrant> grant(long ttlSeconds) {
        return grant(ttlSeconds, 0);
    }

    /** A new lease with the given id (0: chosen by the server); fails when the id is taken. */
    public CompletableFuture<LeaseGrant> grant(long ttlSeconds, long id) {
        return calls.unary(LeaseGrpc.getLeaseGrantMethod(), LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).setID(id).build(), false)
                .thenApply(r -> {
                    if (!r.getError().isEmpty()) {
                        throw new CairnException(CairnException.Code.UNKNOWN, r.getError(), null);
                    }
                    return new LeaseGrant(Wire.header(r.getHeader()), r.getID(), r.getTTL());
                });
    }

    /** Ends the lease now and deletes its keys; fails with "requested lease not found" when it is gone. */
    public CompletableFuture<Header> revoke(long leaseId) {
        return calls.unary(LeaseGrpc.getLeaseRevokeMethod(), LeaseRevokeRequest.newBuilder().setID(leaseId).build(), false)
                .thenApply(r -> Wire.header(r.getHeader()));
    }

    /** What is left of the lease; its TTL is -1 when it does not exist. */
    public CompletableFuture<LeaseTimeToLive> timeToLive(long leaseId, boolean withKeys) {
        return calls.unary(LeaseGrpc.getLeaseTimeToLiveMethod(),
                LeaseTimeToLiveRequest.newBuilder().setID(leaseId).setKeys(withKeys).build(), true)
                .thenApply(r -> new LeaseTimeToLive(Wire.header(r.getHeader()), r.getID(), r.getTTL(), r.getGrantedTTL(),
                        r.getKeysList().stream().map(Bytes::wrap).toList()));
    }

    /** The ids of every lease alive. */
    public CompletableFuture<Listing<Long>> leases() {
        return calls.unary(LeaseGrpc.getLeaseLeasesMethod(), LeaseLeasesRequest.getDefaultInstance(), true)
                .thenApply(r -> new Listing<>(Wire.header(r.getHeader()), r.getLeasesList().stream().map(LeaseStatus::getID).toList()));
    }

    /**
     * Renews the lease until the answer is closed, or until the lease is found gone.
     *
     * @param listener told each renewal, on a gRPC thread; a TTL of 0 or less means the lease
     *                 no longer exists (renewals then stop)
     */
    public KeepAlive keepAlive(long leaseId, Consumer<KeepAliveReply> listener) {
        KeepAlive k = new KeepAlive(leaseId, listener);
        kept.compute(leaseId, (id, r) -> {
            Renewal renewal = r != null ? r : new Renewal(id);
            renewal.handles.add(k);
            return renewal;
        });
        synchronized (this) {
            if (ticker == null) {
                ticker = calls.timer().scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
            }
        }
        return k;
    }

    /** Renews the lease once, on a stream of its own; a TTL of 0 or less means it no longer exists. */
    public CompletableFuture<KeepAliveReply> keepAliveOnce(long leaseId) {
        CompletableFuture<KeepAliveReply> reply = new CompletableFuture<>();
        calls.ensureToken().whenComplete((ok, failure) -> {
            if (failure != null) {
                reply.completeExceptionally(CairnException.of(failure));
                return;
            }
            StreamObserver<LeaseKeepAliveRequest> once = LeaseGrpc.newStub(calls.channel()).withDeadline(calls.deadline())
                    .leaseKeepAlive(new StreamObserver<>() {
                        @Override
                        public void onNext(LeaseKeepAliveResponse r) {
                            if (r.getID() == leaseId) {
                                reply.complete(new KeepAliveReply(Wire.header(r.getHeader()), r.getID(), r.getTTL()));
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            calls.streamFailed(t);
                            reply.completeExceptionally(CairnException.of(t));
                        }

                        @Override
                        public void onCompleted() {
                            reply.completeExceptionally(new CairnException(CairnException.Code.UNAVAILABLE, "keep-alive stream ended", null));
                        }
                    });
            once.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
            reply.whenComplete((r, f) -> once.onCompleted());
        });
        return reply;
    }

    /** Renews the lease until the answer is closed, telling nobody. */
    public KeepAlive keepAlive(long leaseId) {
        return keepAlive(leaseId, r -> { });
    }

    /** The same calls, waiting for their answers. */
    public Sync sync() {
        return sync;
    }

    private void tick() {
        long now = System.nanoTime();
        StreamObserver<LeaseKeepAliveRequest> out = stream();
        if (out == null) {
            return;
        }
        for (Renewal r : kept.values()) {
            if (r.sentNanos != 0 && now - r.sentNanos > r.unansweredLimitNanos()) {
                abandon(out); // a member that stopped answering without closing the stream
                return;
            }
            if (now - r.nextRenewalNanos >= 0) {
                r.nextRenewalNanos = now + TimeUnit.SECONDS.toNanos(1); // until its answer comes
                if (r.sentNanos == 0) {
                    r.sentNanos = now;
                }
                synchronized (this) {
                    out.onNext(LeaseKeepAliveRequest.newBuilder().setID(r.id).build());
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
            AtomicReference<StreamObserver<LeaseKeepAliveRequest>> opened = new AtomicReference<>();
            opened.set(LeaseGrpc.newStub(calls.channel()).leaseKeepAlive(new StreamObserver<>() {
                @Override
                public void onNext(LeaseKeepAliveResponse r) {
                    Renewal renewal = kept.get(r.getID());
                    if (renewal != null) {
                        renewal.answered(r);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    calls.streamFailed(t);
                    broken(opened.get());
                }

                @Override
                public void onCompleted() {
                    broken(opened.get());
                }
            }));
            stream = opened.get();
            kept.values().forEach(r -> {
                r.nextRenewalNanos = System.nanoTime();
                r.sentNanos = 0;
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
    private synchronized void broken(StreamObserver<LeaseKeepAliveRequest> which) {
        if (stream == which) {
            stream = null;
        }
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

    /** A lease being renewed, for every handle kept on it. */
    private final class Renewal {
        private final long id;
        private final List<KeepAlive> handles = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile long nextRenewalNanos = System.nanoTime();
        /** When the oldest unanswered renewal was sent; 0 for none. */
        private volatile long sentNanos;
        private volatile long ttlMillis = 3000;

        private Renewal(long id) {
            this.id = id;
        }

        /** How long a renewal may go unanswered before the stream is given up: half the TTL, 0.5 s to 3 s. */
        private long unansweredLimitNanos() {
            return TimeUnit.MILLISECONDS.toNanos(Math.max(500, Math.min(3000, ttlMillis / 2)));
        }

        private void answered(LeaseKeepAliveResponse r) {
            sentNanos = 0;
            if (r.getTTL() <= 0) {
                kept.remove(id, this);
            } else {
                ttlMillis = TimeUnit.SECONDS.toMillis(r.getTTL());
                nextRenewalNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(TICK_MS, ttlMillis / 3));
            }
            KeepAliveReply reply = new KeepAliveReply(Wire.header(r.getHeader()), r.getID(), r.getTTL());
            handles.forEach(k -> k.listener.accept(reply));
        }
    }

    /** One hold on a kept lease; when every hold on it is closed the renewals stop (the lease then expires, or is revoked). */
    public final class KeepAlive implements AutoCloseable {
        private final long id;
        private final Consumer<KeepAliveReply> listener;

        private KeepAlive(long id, Consumer<KeepAliveReply> listener) {
            this.id = id;
            this.listener = listener;
        }

        /** The lease renewed. */
        public long leaseId() {
            return id;
        }

        /** Stops telling this hold's listener; the renewals stop with the lease's last hold. */
        @Override
        public void close() {
            kept.computeIfPresent(id, (leaseId, r) -> {
                r.handles.remove(this);
                return r.handles.isEmpty() ? null : r;
            });
        }
    }

    /** Blocking twins of {@link Lease}'s calls. */
    public final class Sync {
        /** Waits for {@link Lease#grant(long)}. */
        public LeaseGrant grant(long ttlSeconds) {
            return Calls.await(Lease.this.grant(ttlSeconds));
        }

        /** Waits for {@link Lease#grant(long, long)}. */
        public LeaseGrant grant(long ttlSeconds, long id) {
            return Calls.await(Lease.this.grant(ttlSeconds, id));
        }

        /** Waits for {@link Lease#revoke(long)}. */
        public Header revoke(long leaseId) {
            return Calls.await(Lease.this.revoke(leaseId));
        }

        /** Waits for {@link Lease#timeToLive(long, boolean)}. */
        public LeaseTimeToLive timeToLive(long leaseId, boolean withKeys) {
            return Calls.await(Lease.this.timeToLive(leaseId, withKeys));
        }

        /** Waits for {@link Lease#keepAliveOnce(long)}. */
        public KeepAliveReply keepAliveOnce(long leaseId) {
            return Calls.await(Lease.this.keepAliveOnce(leaseId));
        }

        /** Waits for {@link Lease#leases()}. */
        public Listing<Long> leases() {
            return Calls.await(Lease.this.leases());
        }
    }
}
