package io.cairn.client;

import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Watches. Each watcher remembers the revision after the last one it delivered; when its
 * stream breaks (a member died, the leader changed) it reopens on another endpoint from that
 * revision, so every revision is delivered once, none lost and none repeated.
 */
public final class Watch {
    private final Calls calls;
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();

    Watch(Calls calls) {
        this.calls = calls;
    }

    /** What a watcher is told, on one thread at a time, in revision order. */
    public interface Listener {
        /** Events of one or more revisions, all after those told before. */
        void onEvents(List<Event> events);

        /** The revisions asked for were compacted away; the watcher has stopped. */
        default void onCompacted(long compactRevision) {
        }

        /** The server refused the watch (e.g. permission denied); the watcher has stopped. */
        default void onError(CairnException error) {
        }
    }

    public Watcher watch(WatchKey what, Listener listener) {
        Watcher w = new Watcher(what, listener);
        watchers.add(w);
        w.open();
        return w;
    }

    void closeAll() {
        watchers.forEach(Watcher::close);
    }

    /** One watch; close it to stop. */
    public final class Watcher implements AutoCloseable {
        private final WatchKey what;
        private final Listener listener;
        /** The first revision not yet delivered; 0 until the server said where "now" is. */
        private long next;
        private int failures;
        private boolean closed;
        private ClientCallStreamObserver<WatchRequest> stream;

        private Watcher(WatchKey what, Listener listener) {
            this.what = what;
            this.listener = listener;
            this.next = what.startRevision();
        }

        /** The revision after the last one delivered. */
        public synchronized long nextRevision() {
            return next;
        }

        private void open() {
            calls.ensureToken().whenComplete((ok, failure) -> {
                if (failure != null) {
                    reopenLater();
                } else {
                    start();
                }
            });
        }

        private synchronized void start() {
            if (closed) {
                return;
            }
            io.grpc.stub.StreamObserver<WatchRequest> requests = WatchGrpc.newStub(calls.channel())
                    .watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
                private ClientCallStreamObserver<WatchRequest> out;

                @Override
                public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
                    out = requests;
                    stream = requests;
                }

                @Override
                public void onNext(WatchResponse r) {
                    deliver(r, out);
                }

                @Override
                public void onError(Throwable t) {
                    lost(out, t);
                }

                @Override
                public void onCompleted() {
                    lost(out, Status.UNAVAILABLE.withDescription("watch stream ended").asRuntimeException());
                }
            });
            // from the first revision not yet delivered: nothing lost, nothing repeated
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(what.request(next)).build());
        }

        private synchronized void deliver(WatchResponse r, ClientCallStreamObserver<WatchRequest> out) {
            if (closed) {
                return;
            }
            if (r.getCreated() && !r.getCanceled()) {
                stream = out;
                failures = 0;
                if (next == 0) {
                    next = r.getHeader().getRevision() + 1;
                }
                return;
            }
            if (r.getCanceled()) {
                closed = true;
                watchers.remove(this);
                out.cancel("watch over", null);
                if (r.getCompactRevision() > 0) {
                    listener.onCompacted(r.getCompactRevision());
                } else {
                    listener.onError(new CairnException(Status.Code.UNKNOWN, r.getCancelReason(), null));
                }
                return;
            }
            if (r.getEventsCount() > 0) {
                long last = r.getEvents(r.getEventsCount() - 1).getKv().getModRevision();
                next = last + 1;
                listener.onEvents(r.getEventsList());
            } else if (r.getHeader().getRevision() >= next) {
                next = r.getHeader().getRevision() + 1; // a progress report: nothing before it is missing
            }
        }

        private synchronized void lost(ClientCallStreamObserver<WatchRequest> out, Throwable t) {
            if (closed) {
                return;
            }
            if (stream == out) {
                stream = null;
            }
            reopenLater();
        }

        private void reopenLater() {
            long delayMs = Math.min(2000, 100L << Math.min(failures++, 5));
            calls.timer().schedule(this::open, delayMs, TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void close() {
            closed = true;
            watchers.remove(this);
            if (stream != null) {
                stream.cancel("closed by the client", null);
                stream = null;
            }
        }
    }
}
