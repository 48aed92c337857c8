package io.cairn.server.robust;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.testing.CairnCluster;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A client watching one range, resuming on the next member from the revision after the last
 * event it got. What it receives is kept for {@link WatchCompleteness}, with when each revision
 * arrived.
 */
final class RangeWatcher extends MemberStream {
    private final ByteString key;
    private final ByteString end;
    private final List<WatchCompleteness.Seen> seen = new ArrayList<>();
    /** When each revision first arrived (System.nanoTime), for checks of timing. */
    private final Map<Long, Long> arrivals = new HashMap<>();
    /** The revision to resume from: one past the last event received. */
    private volatile long next;

    RangeWatcher(String name, CairnCluster cluster, int firstMember, ByteString key, ByteString end, long from) {
        super(name, cluster, firstMember);
        this.key = key;
        this.end = end;
        this.next = from;
        start();
    }

    @Override
    CompletableFuture<Void> open(ManagedChannel channel) {
        CompletableFuture<Void> broken = new CompletableFuture<>();
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(until(broken, r -> {
            if (r.getCanceled()) {
                broken.complete(null);
            } else {
                record(r);
            }
        }));
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(key).setRangeEnd(end).setStartRevision(next)).build());
        return broken;
    }

    private void record(WatchResponse r) {
        long now = System.nanoTime();
        synchronized (seen) {
            for (Event e : r.getEventsList()) {
                seen.add(new WatchCompleteness.Seen(e.getKv().getModRevision(), e.getKv().getKey().toStringUtf8(),
                        e.getType() == Event.EventType.DELETE ? null : e.getKv().getValue().toStringUtf8()));
                arrivals.putIfAbsent(e.getKv().getModRevision(), now);
                next = e.getKv().getModRevision() + 1;
            }
        }
    }

    @Override
    long progress() {
        return next - 1;
    }

    List<WatchCompleteness.Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    Map<Long, Long> arrivals() {
        synchronized (seen) {
            return Map.copyOf(arrivals);
        }
    }
}
