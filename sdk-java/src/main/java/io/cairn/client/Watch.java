package io.cairn.client;

import io.cairn.api.etcd.WatchCancelRequest;
import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches, all of a client's over one gRPC stream (as etcd's Go client does), however many
 * there are. Each watcher remembers the revision after the last one it received; when the
 * stream breaks (a member died, the leader changed) it is reopened on another endpoint and
 * every watcher is created again from its own next revision, so each revision is delivered
 * once, none lost and none repeated.
 *
 * <p>Listeners are called on the client's listener threads, one call at a time per watcher, in
 * revision order; a slow listener delays only its own watcher's deliveries, never the stream or
 * other watchers (its events wait in memory meanwhile). A listener that throws is logged and
 * goes on receiving.
 */
public final class Watch {
    private final Calls calls;
    private final Executor listeners;
    /** Guards everything below: the stream, and which watcher each server-side watch id is. */
    private final Object lock = new Object();
    private final Set<Watcher> open = new LinkedHashSet<>();
    private final Map<Long, Watcher> byId = new HashMap<>();
    /** Watchers whose create request was sent on the current stream and not yet answered, in order. */
    private final Queue<Watcher> creating = new ArrayDeque<>();
    private ClientCallStreamObserver<WatchRequest> stream;
    private boolean opening;
    private boolean closed;
    private int failures;

    Watch(Calls calls, Executor listeners) {
        this.calls = calls;
        this.listeners = listeners;
    }

    /** What a watcher is told, one call at a time, in revision order. */
    public interface Listener {
        /** Events of one or more revisions, all after those told before. */
        void onEvents(List<Event> events);

        /** The revisions asked for were compacted away; the watcher has stopped. */
        default void onCompacted(long compactRevision) {
        }

        /**
         * The server refused the watch (for example "etcdserver: permission denied"), or the
         * client's credentials were refused; the watcher has stopped.
         */
        default void onError(CairnException error) {
        }
    }

    /** Starts watching; events flow to {@code listener} until the answer is closed. */
    public Watcher watch(WatchKey what, Listener listener) {
        Watcher w = new Watcher(what, listener);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            open.add(w);
            if (stream != null) {
                create(w);
            } else {
                openStream();
            }
        }
        return w;
    }

    /** Call with the lock held. */
    private void openStream() {
        if (opening || closed) {
            return;
        }
        opening = true;
        calls.ensureToken().whenComplete((ok, failure) -> {
            synchronized (lock) {
                opening = false;
                if (failure != null && Calls.isCredentialsRefusal(failure)) {
                    refuseAll(CairnException.of(failure)); // wrong credentials: trying again cannot help
                } else if (failure != null) {
                    reopenLater();
                } else if (stream == null && !closed && !open.isEmpty()) {
                    start();
                }
            }
        });
    }

    /** Call with the lock held: every watcher stops, told why. */
    private void refuseAll(CairnException why) {
        List<Watcher> refused = List.copyOf(open);
        open.clear();
        refused.forEach(w -> w.tell(l -> l.onError(why)));
    }

    /** Call with the lock held. */
    private void start() {
        WatchGrpc.newStub(calls.channel()).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
            private ClientCallStreamObserver<WatchRequest> mine;

            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
                mine = requests;
                stream = requests;
            }

            @Override
            public void onNext(WatchResponse r) {
                received(mine, r);
            }

            @Override
            public void onError(Throwable t) {
                calls.streamFailed(t);
                lost(mine);
            }

            @Override
            public void onCompleted() {
                lost(mine);
            }
        });
        // from each watcher's first revision not yet received: nothing lost, nothing repeated
        open.forEach(this::create);
    }

    /** Call with the lock held and a stream open. */
    private void create(Watcher w) {
        creating.add(w);
        stream.onNext(WatchRequest.newBuilder().setCreateRequest(w.what.request(w.next)).build());
    }

    private void received(ClientCallStreamObserver<WatchRequest> from, WatchResponse r) {
        synchronized (lock) {
            if (from != stream) {
                return;
            }
            if (r.getCreated()) {
                Watcher w = creating.poll();
                if (w == null) {
                    return;
                }
                if (r.getCanceled()) {
                    refused(w, r);
                    return;
                }
                failures = 0;
                if (!open.contains(w)) { // closed while its create was on its way
                    cancel(r.getWatchId());
                    return;
                }
                byId.put(r.getWatchId(), w);
                w.id = r.getWatchId();
                if (w.next == 0) {
                    w.next = r.getHeader().getRevision() + 1;
                }
                return;
            }
            Watcher w = byId.get(r.getWatchId());
            if (w == null) {
                return;
            }
            if (r.getCanceled()) {
                byId.remove(r.getWatchId());
                refused(w, r);
            } else if (r.getEventsCount() > 0) {
                w.next = r.getEvents(r.getEventsCount() - 1).getKv().getModRevision() + 1;
                List<Event> events = r.getEventsList().stream().map(Wire::event).toList();
                w.tell(l -> l.onEvents(events));
            } else if (r.getHeader().getRevision() >= w.next) {
                w.next = r.getHeader().getRevision() + 1; // a progress report: nothing before it is missing
            }
        }
    }

    /**
     * Call with the lock held: the server ended or refused a watch. A stale token, or a member
     * that stopped serving or lost its leader, is not the watch's fault: the stream is opened
     * again (on another member) and every watcher goes on from its next revision.
     */
    private void refused(Watcher w, WatchResponse r) {
        String reason = r.getCancelReason();
        if (Calls.isTokenRefusal(reason)) {
            calls.tokenRefused();
            abandon();
            return;
        }
        if (reason.contains("server stopped") || reason.contains("no leader")) {
            abandon();
            return;
        }
        if (!open.remove(w)) {
            return;
        }
        if (r.getCompactRevision() > 0) {
            w.tell(l -> l.onCompacted(r.getCompactRevision()));
        } else {
            CairnException.Code code = reason.contains("permission denied")
                    ? CairnException.Code.PERMISSION_DENIED : CairnException.Code.UNKNOWN;
            w.tell(l -> l.onError(new CairnException(code, reason, null)));
        }
    }

    private void lost(ClientCallStreamObserver<WatchRequest> from) {
        synchronized (lock) {
            if (from == stream) {
                stream = null;
                byId.clear();
                creating.clear();
                reopenLater();
            }
        }
    }

    /** Call with the lock held: drops the current stream and opens another. */
    private void abandon() {
        if (stream != null) {
            stream.cancel("reopening with a new token", null);
        }
        lost(stream);
    }

    /** Call with the lock held. */
    private void reopenLater() {
        if (closed || open.isEmpty()) {
            return;
        }
        long delayMs = Math.min(2000, 100L << Math.min(failures++, 5));
        calls.timer().schedule(() -> {
            synchronized (lock) {
                if (stream == null) {
                    openStream();
                }
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Call with the lock held. */
    private void cancel(long watchId) {
        stream.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build());
    }

    void closeAll() {
        synchronized (lock) {
            closed = true;
            open.clear();
            byId.clear();
            creating.clear();
            if (stream != null) {
                stream.cancel("the client is closed", null);
                stream = null;
            }
        }
    }

    /** One watch; close it to stop. */
    public final class Watcher implements AutoCloseable {
        private final WatchKey what;
        private final ListenerQueue<Listener> deliveries;
        /** Guarded by the Watch's lock: the first revision not yet received; 0 until the server said where "now" is. */
        private long next;
        /** Guarded by the Watch's lock: the server's id for it on the current stream. */
        private long id = -1;

        private Watcher(WatchKey what, Listener listener) {
            this.what = what;
            this.deliveries = new ListenerQueue<>(listener, listeners, "a watch listener failed");
            this.next = what.startRevision();
        }

        /** The revision after the last one received; 0 until the watch is created. */
        public long nextRevision() {
            synchronized (lock) {
                return next;
            }
        }

        /** Queues a call to the listener; one watcher's calls run one at a time, in order. */
        private void tell(Consumer<Listener> call) {
            deliveries.tell(call);
        }

        /** Stops the watch: after this returns the listener is told nothing more (but for a call already under way). */
        @Override
        public void close() {
            synchronized (lock) {
                if (!open.remove(this)) {
                    return;
                }
                if (stream != null && byId.remove(id, this)) {
                    cancel(id);
                }
            }
            deliveries.stop();
        }
    }
}
