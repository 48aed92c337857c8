package io.cairn.client;

import io.cairn.client.discovery.InstanceKey;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A registered instance, kept registered until closed.
 * <ul>
 *   <li>With a TTL, its lease is kept alive (by {@link Lease#keepAlive}, through a
 *       {@link Session}). When the lease is lost (the cluster says it is gone, or no renewal
 *       was answered for a whole TTL: a partition, a long pause) the instance is registered again
 *       by itself, under the same id with a new lease, retrying until it succeeds or the handle is
 *       closed; the listener is told each step.</li>
 *   <li>On a caller's lease or session it lives and dies with that lease: when a session is
 *       lost the listener is told and the registration has ended; register again in a new
 *       session.</li>
 *   <li>With a health check it stays until closed, its status kept by the cluster.</li>
 * </ul>
 * A registration made again uses the values registered, with the updates made since through
 * this client ({@link #update} or {@link Discovery#update}); changes made by others (an operator
 * taking the instance out of service with cairnctl) are not known to it.
 *
 * <p>Closing deregisters the instance (and revokes its own lease), so subscribers see it go at
 * once. A client closed without closing its registrations leaves leased ones to expire within
 * their TTL. Thread-safe.
 */
public final class Registration implements AutoCloseable {
    /** What a registration's owner is told, one call at a time, on a client thread. */
    public interface Listener {
        /**
         * The instance's lease is gone and with it the instance. A TTL registration is made
         * again next; one on a caller's session has ended.
         */
        default void onLeaseLost(ServiceInstance lost) {
        }

        /** The instance is registered again, with a new lease. */
        default void onReregistered(ServiceInstance instance) {
        }

        /** Registering again failed (the cluster is unreachable, say); it is tried again shortly. */
        default void onReregisterFailed(CairnException error) {
        }
    }

    private static final long MAX_RETRY_MS = 5000;

    private final Discovery discovery;
    private final ListenerQueue<Listener> deliveries;
    /** What is registered again after a lost lease: the spec, its id fixed, with this client's updates. */
    private volatile RegistrationSpec desired;
    private volatile ServiceInstance current;
    private volatile boolean registered = true;
    /** The TTL registration's own lease, kept alive; null otherwise. */
    private Session kept;
    private final long ttlSeconds;
    private ScheduledFuture<?> retry;
    private int failures;
    private volatile boolean closed;

    Registration(Discovery discovery, RegistrationSpec spec, ServiceInstance registered, long ttlSeconds, Listener listener) {
        this.discovery = discovery;
        this.deliveries = new ListenerQueue<>(listener, discovery.listeners(), "a registration listener failed");
        this.desired = spec.toBuilder().id(registered.id()).build();
        this.current = registered;
        this.ttlSeconds = ttlSeconds;
    }

    /** Starts keeping the registration alive; called once the client knows of it, so that a loss can be forgotten. */
    synchronized void start() {
        switch (desired.liveness()) {
            case TTL -> keep(current, ttlSeconds);
            case SESSION -> desired.session().lost().thenRun(() -> lost(desired.session()));
            case LEASE, HEALTH_CHECK -> {
            }
        }
    }

    /** Which instance this is. */
    public InstanceKey key() {
        return current.key();
    }

    /** The instance as last registered or updated through this client. */
    public ServiceInstance instance() {
        return current;
    }

    /** The lease the instance hangs on now (a new one after each re-registration); 0 for a health-checked one. */
    public long leaseId() {
        return current.lease();
    }

    /**
     * Whether the instance is registered as far as this handle knows: false from a lost lease
     * until it is registered again, after a session was lost, and once closed.
     */
    public boolean registered() {
        return registered;
    }

    /** Changes status, weight, tags or metadata; a later re-registration keeps the change. */
    public CompletableFuture<ServiceInstance> update(InstanceUpdate update) {
        return discovery.update(key(), update);
    }

    /** Called by {@link Discovery#update} for this instance: remembers the change for re-registration. */
    synchronized void updated(InstanceUpdate update, ServiceInstance now) {
        RegistrationSpec.Builder b = desired.toBuilder();
        update.status().ifPresent(b::status);
        update.weight().ifPresent(b::weight);
        update.tags().ifPresent(b::tags);
        update.metadata().ifPresent(b::metadata);
        desired = b.build();
        current = now;
    }

    /** Call with the monitor held: keeps the TTL registration's lease alive, and registers again when it is lost. */
    private void keep(ServiceInstance instance, long ttlSeconds) {
        Session session = Session.adopt(discovery.lease(), discovery.calls(), instance.lease(),
                ttlSeconds > 0 ? ttlSeconds : desired.ttl().toSeconds());
        kept = session;
        session.lost().thenRun(() -> lost(session));
    }

    /**
     * The lease the instance hung on is gone, and the instance with it: a TTL registration is
     * made again; one on a caller's session has ended.
     */
    private void lost(Session which) {
        ServiceInstance lost;
        boolean again = desired.liveness() == RegistrationSpec.Liveness.TTL;
        synchronized (this) {
            if (closed || (again && which != kept)) {
                return;
            }
            kept = null;
            registered = false;
            lost = current;
        }
        if (!again) {
            discovery.forget(this);
        }
        deliveries.tell(l -> l.onLeaseLost(lost));
        if (again) {
            registerAgain();
        }
    }

    private void registerAgain() {
        RegistrationSpec spec;
        synchronized (this) {
            if (closed) {
                return;
            }
            spec = desired;
        }
        discovery.registerOnce(spec).whenComplete((r, failure) -> {
            boolean undo;
            synchronized (this) {
                undo = closed && failure == null;
                if (!closed && failure == null) {
                    current = r.instance();
                    registered = true;
                    failures = 0;
                    keep(r.instance(), r.ttlSeconds());
                } else if (!closed) {
                    long delayMs = Math.min(MAX_RETRY_MS, 200L << Math.min(failures++, 5));
                    retry = discovery.calls().timer().schedule(this::registerAgain, delayMs, TimeUnit.MILLISECONDS);
                }
            }
            if (undo) {
                // closed while this registration was on its way: take it back, as close() would have
                discovery.deregister(r.instance().key()).thenCompose(h -> discovery.lease().revoke(r.instance().lease()));
            } else if (failure == null) {
                deliveries.tell(l -> l.onReregistered(r.instance()));
            } else {
                CairnException why = CairnException.of(failure);
                deliveries.tell(l -> l.onReregisterFailed(why));
            }
        });
    }

    /**
     * Deregisters the instance and stops keeping its lease alive (revoking a lease of its own).
     * Completes when done; fails when the cluster could not be told (a leased instance then still
     * goes within its TTL). An instance found gone already counts as deregistered.
     */
    public CompletableFuture<Void> closeAsync() {
        if (!stop()) {
            return CompletableFuture.completedFuture(null);
        }
        Session session = takeKept();
        discovery.forget(this);
        return discovery.deregister(key()).handle((h, failure) -> {
            CompletableFuture<Void> revoked = session == null ? CompletableFuture.completedFuture(null) : session.closeAsync();
            return revoked.thenRun(() -> {
                if (failure != null && CairnException.of(failure).code() != CairnException.Code.NOT_FOUND) {
                    throw CairnException.of(failure);
                }
            });
        }).thenCompose(done -> done);
    }

    /** {@link #closeAsync()}, waiting for it. */
    @Override
    public void close() {
        Calls.await(closeAsync());
    }

    /**
     * The same instance was registered again through this client, by a newer handle: this one
     * stops, and its own lease (which no longer holds the key) is revoked.
     */
    void replaced() {
        if (stop()) {
            Session session = takeKept();
            if (session != null) {
                session.closeAsync();
            }
        }
    }

    /** The client is closing: stop re-registering, leave the leases to run out. */
    void abandon() {
        stop();
    }

    /** Stops re-registering and telling the listener; answers false when it had stopped already. */
    private boolean stop() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            registered = false;
            if (retry != null) {
                retry.cancel(false);
            }
        }
        deliveries.stop();
        return true;
    }

    /** The session keeping the handle's own lease alive, now the caller's to end; null for none. */
    private synchronized Session takeKept() {
        Session session = kept;
        kept = null;
        return session;
    }

    @Override
    public String toString() {
        return "Registration[" + key() + (registered ? "" : ", not registered") + "]";
    }
}
