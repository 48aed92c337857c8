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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client watching one range through one member at a time, as etcd's clients do: when its
 * stream breaks (the member killed, a cancel) it moves to the next member and resumes from the
 * revision after the last event it got. What it receives is kept for {@link WatchCompleteness}.
 */
final class RangeWatcher implements AutoCloseable {
    private final String name;
    private final CairnCluster cluster;
    private final ByteString key;
    private final ByteString end;
    private final List<WatchCompleteness.Seen> seen = new ArrayList<>();
    /** When each revision first arrived (System.nanoTime), for checks of timing. */
    private final Map<Long, Long> arrivals = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopped;
    /** The revision to resume from: one past the last event received. */
    private volatile long next;
    private volatile int reconnects;

    RangeWatcher(String name, CairnCluster cluster, int firstMember, ByteString key, ByteString end, long from) {
        this.name = name;
        this.cluster = cluster;
        this.key = key;
        this.end = end;
        this.next = from;
        this.thread = new Thread(() -> run(firstMember), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(int member) {
        while (!stopped) {
            ManagedChannel channel = cluster.member(member).channel();
            CompletableFuture<Void> broken = new CompletableFuture<>();
            StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
                @Override
                public void onNext(WatchResponse r) {
                    if (r.getCanceled()) {
                        broken.complete(null);
                        return;
                    }
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
                public void onError(Throwable t) {
                    broken.complete(null);
                }

                @Override
                public void onCompleted() {
                    broken.complete(null);
                }
            });
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(key).setRangeEnd(end).setStartRevision(next)).build());
            while (!stopped && !broken.isDone()) {
                try {
                    broken.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // still watching
                } catch (Exception e) {
                    break;
                }
            }
            channel.shutdownNow();
            if (!stopped) {
                reconnects++;
                member = (member + 1) % cluster.members().size();
                sleep(50);
            }
        }
    }

    /** Waits until every revision up to {@code revision} has arrived; false if it did not by the deadline. */
    boolean awaitRevision(long revision, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (next <= revision) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    String name() {
        return name;
    }

    int reconnects() {
        return reconnects;
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

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(5000);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
