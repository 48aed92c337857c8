package io.cairn.server.discovery;

import com.google.protobuf.ByteString;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.InstanceChange;
import io.cairn.api.discovery.SubscribeResponse;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.errors.ServerError;
import io.cairn.server.watch.WatchHub;
import io.cairn.server.watch.WatchedStream;
import io.cairn.server.watch.StreamSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One subscriber to a service: the full list at a revision (read linearizably), then a watcher on
 * the service's prefix from the next revision, so nothing falls between the two. A subscriber
 * that resumes after revision R gets a watcher from R + 1; if that history was compacted, or the
 * watcher fell that far behind, it gets a full list again and carries on after it.
 */
public final class RegistrySubscription extends WatchedStream<SubscribeResponse> {
    private static final long WATCH_ID = 1;

    private final String namespace;
    private final InstanceCache instances;
    private final ByteString prefix;
    private final ByteString end;
    private final Supplier<CompletableFuture<RangeResponse>> fullList;
    /** The revision everything up to which was sent; a response never claims less. */
    private long sent;
    /** The revision a resumed subscriber last saw, told back once its watcher is in place; 0 if none. */
    private volatile long resumedAfter;

    public RegistrySubscription(String namespace, ByteString prefix, ByteString end, StreamSink<SubscribeResponse> sink, WatchHub watches,
                                InstanceCache instances,
                                Supplier<CompletableFuture<RangeResponse>> fullList,
                                Function<WatchCreateRequest, String> denial, AtomicInteger open,
                                ScheduledExecutorService timer, BooleanSupplier hasLeader) {
        super(sink, watches, denial, open, timer, hasLeader);
        this.namespace = namespace;
        this.instances = instances;
        this.prefix = prefix;
        this.end = end;
        this.fullList = fullList;
    }

    /** Starts with the full list for revision 0, else resumes after {@code revision}. */
    public void start(long revision) {
        if (revision > 0) {
            resumedAfter = revision;
            watchFrom(revision + 1);
        } else {
            sendFullList();
        }
    }

    private void sendFullList() {
        fullList.get().whenComplete((read, failure) -> {
            if (closed.get()) {
                return;
            }
            if (failure != null) {
                fail(failure);
                return;
            }
            List<Instance> listed = new ArrayList<>();
            for (KeyValue kv : read.getKvsList()) {
                Instance i = instances.decode(namespace, kv);
                if (i != null) {
                    listed.add(i);
                }
            }
            long revision = read.getHeader().getRevision();
            synchronized (this) {
                sent = Math.max(sent, revision);
                sink.send(SubscribeResponse.newBuilder().setHeader(read.getHeader()).setSnapshot(true)
                        .addAllInstances(listed).setRevision(revision).build());
            }
            watchFrom(revision + 1);
        });
    }

    private void watchFrom(long revision) {
        stream.handle(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(prefix).setRangeEnd(end).setStartRevision(revision).setPrevKv(true)
                .setProgressNotify(true).setWatchId(WATCH_ID)).build());
    }

    @Override
    protected void onWatch(WatchResponse w) {
        if (closed.get()) {
            return;
        }
        if (w.getCreated() && !w.getCanceled()) {
            watching = true;
            long after = resumedAfter;
            resumedAfter = 0;
            if (after > 0) {
                // a resumed subscriber hears at once that it is connected again, and from where
                send(SubscribeResponse.newBuilder().setHeader(w.getHeader()).setRevision(after));
            }
            return;
        }
        if (w.getCanceled()) {
            watching = false;
            if (w.getCompactRevision() > 0) {
                sendFullList();
            } else {
                fail(cancelled(w.getCancelReason()));
            }
            return;
        }
        SubscribeResponse.Builder r = SubscribeResponse.newBuilder().setHeader(w.getHeader());
        if (w.getEventsCount() == 0) {
            if (!watching) {
                return;
            }
            // a progress notification: everything up to its revision was sent
            r.setRevision(w.getHeader().getRevision());
        } else {
            List<InstanceChange> changes = InstanceChanges.of(instances, namespace, w.getEventsList());
            // the header may be ahead of the events (a watcher catching up); the last event is not
            r.addAllChanges(changes).setRevision(w.getEvents(w.getEventsCount() - 1).getKv().getModRevision());
        }
        send(r);
    }

    private synchronized void send(SubscribeResponse.Builder r) {
        if (r.getChangesCount() == 0 && r.getRevision() <= sent && !r.getSnapshot()) {
            return; // a progress notice that says nothing new
        }
        sent = Math.max(sent, r.getRevision());
        sink.send(r.build());
    }

    /** A watcher is cancelled when this member stops serving, or when the caller may not read the prefix. */
    private static RuntimeException cancelled(String reason) {
        if (reason.equals(ServerError.STOPPED.text())) {
            return ServerError.STOPPED.exception();
        }
        return reason.contains(ServerError.PERMISSION_DENIED.text())
                ? ServerError.PERMISSION_DENIED.exception() : ServerError.PERMISSION_DENIED.exception(reason);
    }
}
