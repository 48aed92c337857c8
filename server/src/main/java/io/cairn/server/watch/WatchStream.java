package io.cairn.server.watch;

import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One client's watch stream: many watchers, one queue of responses in send order. The queue is
 * bounded in responses and in bytes; when a watcher's events do not fit, the hub takes it back to the catch-up path, so a
 * slow client costs neither apply time nor unbounded memory.
 */
public final class WatchStream {
    /** Where responses go; the transport says when it can take more. */
    public interface Transport {
        boolean isReady();

        void send(WatchResponse response);
    }

    static final int QUEUE_LIMIT = 1024;
    /** Bytes of queued events a stream may hold, whatever their number. */
    static final long QUEUE_BYTES = 16L << 20;

    private final WatchHub hub;
    private final Transport transport;
    private final Function<WatchCreateRequest, String> denial;
    private final ArrayDeque<WatchResponse> queue = new ArrayDeque<>();
    private long queuedBytes;
    private final Map<Long, Watcher> watchers = new HashMap<>();
    private long nextId;
    private boolean closed;

    WatchStream(WatchHub hub, Transport transport, Function<WatchCreateRequest, String> denial) {
        this.hub = hub;
        this.transport = transport;
        this.denial = denial;
    }

    /** Handles one request from the client. */
    public void handle(WatchRequest request) {
        switch (request.getRequestUnionCase()) {
            case CREATE_REQUEST -> create(request.getCreateRequest());
            case CANCEL_REQUEST -> cancel(request.getCancelRequest().getWatchId());
            case PROGRESS_REQUEST -> hub.requestProgress(this);
            default -> { }
        }
    }

    private void create(WatchCreateRequest r) {
        String denied = denial.apply(r);
        if (denied != null) {
            offerControl(WatchResponse.newBuilder().setHeader(hub.header(hub.deliveredRevision()))
                    .setWatchId(-1).setCreated(true).setCanceled(true).setCancelReason(denied).build());
            return;
        }
        if (io.cairn.server.storage.KeyRange.of(r.getKey(), r.getRangeEnd()).isEmpty()) {
            offerControl(WatchResponse.newBuilder().setHeader(hub.header(hub.deliveredRevision()))
                    .setWatchId(-1).setCreated(true).setCanceled(true)
                    .setCancelReason("mvcc: watcher range is empty").build());
            return;
        }
        Watcher w;
        synchronized (this) {
            if (closed) {
                return; // closed while the request was on its way: nothing may join the hub now
            }
            long id = r.getWatchId() != 0 ? r.getWatchId() : nextFreeId();
            if (watchers.containsKey(id)) {
                offerControl(WatchResponse.newBuilder().setHeader(hub.header(hub.deliveredRevision()))
                        .setWatchId(-1).setCreated(true).setCanceled(true)
                        .setCancelReason("etcdserver: duplicate watch ID").build());
                return;
            }
            w = new Watcher(id, r, this);
            watchers.put(id, w);
        }
        long id = w.id;
        hub.add(w, r.getStartRevision(), revision -> offerControl(WatchResponse.newBuilder()
                .setHeader(hub.header(revision)).setWatchId(id).setCreated(true).build()));
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = closed;
        }
        if (closedMeanwhile) {
            hub.remove(w); // close() ran between the two blocks and could not take it out of the hub
        }
    }

    private long nextFreeId() {
        while (watchers.containsKey(nextId)) {
            nextId++;
        }
        return nextId++;
    }

    private void cancel(long id) {
        Watcher w;
        synchronized (this) {
            w = watchers.remove(id);
        }
        if (w != null) {
            hub.remove(w);
            offerControl(WatchResponse.newBuilder().setHeader(hub.header(hub.deliveredRevision()))
                    .setWatchId(id).setCanceled(true).build());
        }
    }

    /** The watcher is over (its history was compacted): tell the client and forget it. */
    void compacted(Watcher w, long compactRevision) {
        synchronized (this) {
            watchers.remove(w.id);
        }
        // etcd's header here carries no revision: the watcher never reached one
        offerControl(WatchResponse.newBuilder().setHeader(hub.header(0).toBuilder().clearRevision())
                .setWatchId(w.id).setCompactRevision(compactRevision).setCanceled(true)
                .setCancelReason("etcdserver: mvcc: required revision has been compacted").build());
    }

    /** The watcher is over for another reason: tell the client why and forget it. */
    void cancelled(Watcher w, String reason) {
        synchronized (this) {
            watchers.remove(w.id);
        }
        offerControl(WatchResponse.newBuilder().setHeader(hub.header(hub.deliveredRevision()))
                .setWatchId(w.id).setCanceled(true).setCancelReason(reason).build());
    }

    /** Control responses are few and must not be lost: they may pass the limit. */
    private synchronized void offerControl(WatchResponse r) {
        if (!closed) {
            enqueue(r);
            drain();
        }
    }

    /** Whether events for one more response fit now. */
    synchronized boolean hasRoom() {
        return !closed && queue.size() < QUEUE_LIMIT && queuedBytes < QUEUE_BYTES;
    }

    private void enqueue(WatchResponse r) {
        queue.add(r);
        queuedBytes += r.getSerializedSize();
    }

    /**
     * Queues {@code events} (all wanted by {@code w}, in revision order) as one or more responses;
     * false, queuing nothing, when the queue is full.
     */
    synchronized boolean offerEvents(Watcher w, List<Event> events, ResponseHeader header, int fragmentBytes) {
        if (closed) {
            return true; // nobody is listening: count them as delivered
        }
        if (!hasRoom()) {
            return false;
        }
        if (!w.fragment) {
            enqueue(WatchResponse.newBuilder().setHeader(header).setWatchId(w.id).addAllEvents(events).build());
        } else {
            List<Event> part = new ArrayList<>();
            int bytes = 0;
            for (Event e : events) {
                if (!part.isEmpty() && bytes + e.getSerializedSize() > fragmentBytes) {
                    enqueue(WatchResponse.newBuilder().setHeader(header).setWatchId(w.id).addAllEvents(part)
                            .setFragment(true).build());
                    part = new ArrayList<>();
                    bytes = 0;
                }
                part.add(e);
                bytes += e.getSerializedSize();
            }
            enqueue(WatchResponse.newBuilder().setHeader(header).setWatchId(w.id).addAllEvents(part).build());
        }
        drain();
        return true;
    }

    /** An empty response for the whole stream (watch id -1): every watcher has all up to {@code revision}. */
    void progressAll(long revision) {
        offerControl(WatchResponse.newBuilder().setHeader(hub.header(revision)).setWatchId(-1).build());
    }

    /** An empty response telling the watcher how far the store has got. */
    synchronized void progress(Watcher w, long revision) {
        if (hasRoom()) {
            enqueue(WatchResponse.newBuilder().setHeader(hub.header(revision)).setWatchId(w.id).build());
            drain();
        }
    }

    /** Sends what the transport can take; the transport calls it again when it has room. */
    public synchronized void drain() {
        while (!closed && !queue.isEmpty() && transport.isReady()) {
            WatchResponse r = queue.poll();
            queuedBytes -= r.getSerializedSize();
            transport.send(r);
        }
        if (!closed && queue.size() < QUEUE_LIMIT / 2) {
            hub.poke();
        }
    }

    /** The client went away: every watcher of the stream goes too. */
    public void close() {
        List<Watcher> gone;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queuedBytes = 0;
            gone = new ArrayList<>(watchers.values());
            watchers.clear();
        }
        gone.forEach(hub::remove);
        hub.streamClosed();
    }

    synchronized int watcherCount() {
        return watchers.size();
    }
}
