package io.cairn.bench;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Watch fan-out: W watchers of one key over S streams, then P puts one after another. For each
 * put, the latency is from its acknowledgement to the moment the last watcher received it.
 *
 * <p>With {@code --interval-ms}, the puts come at that pace instead, and the latency is from the
 * start of each put (on one member a watcher often hears of a put before its writer does), as
 * {@code config-push} times a publish: that run is named {@code watch-paced}.
 */
@Command(name = "watch", description = "Watch fan-out: delivery latency from put acknowledgement to the last watcher.")
final class WatchLoad implements java.util.concurrent.Callable<Integer> {
    @Mixin
    Options o;

    @Option(names = "--watchers", defaultValue = "1000", description = "watchers of the key")
    int watchers;

    @Option(names = "--streams", defaultValue = "10", description = "watch streams they share")
    int streams;

    @Option(names = "--puts", defaultValue = "200", description = "puts to the key")
    int puts;

    @Option(names = "--interval-ms", defaultValue = "0",
            description = "milliseconds from one put's start to the next's, timed from that start; 0: back to back, timed from each acknowledgement")
    long intervalMs;

    @Override
    public Integer call() throws Exception {
        List<ManagedChannel> channels = Load.channels(o.endpoints, Math.max(1, o.conns));
        ByteString key = ByteString.copyFromUtf8("bench-watch");
        CountDownLatch created = new CountDownLatch(watchers);
        ConcurrentHashMap<Long, AtomicInteger> received = new ConcurrentHashMap<>();
        ConcurrentHashMap<Long, Long> lastReceipt = new ConcurrentHashMap<>();
        CountDownLatch allDelivered = new CountDownLatch(puts);
        List<StreamObserver<WatchRequest>> opened = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channels.get(s % channels.size())).watch(new StreamObserver<>() {
                @Override
                public void onNext(WatchResponse r) {
                    if (r.getCreated()) {
                        created.countDown();
                    }
                    long now = System.nanoTime();
                    for (Event e : r.getEventsList()) {
                        long rev = e.getKv().getModRevision();
                        lastReceipt.merge(rev, now, Math::max);
                        if (received.computeIfAbsent(rev, x -> new AtomicInteger()).incrementAndGet() == watchers) {
                            allDelivered.countDown();
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
            opened.add(requests);
        }
        for (int w = 0; w < watchers; w++) {
            StreamObserver<WatchRequest> requests = opened.get(w % streams);
            synchronized (requests) {
                requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(key)).build());
            }
        }
        if (!created.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("watchers were not all created");
        }
        ByteString value = Bench.value(o);
        long[] timedFrom = new long[puts];
        long[] revisions = new long[puts];
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        for (int p = 0; p < puts; p++) {
            long sentAt = System.nanoTime();
            try {
                revisions[p] = Bench.put(channels.get(0), key, value).get(10, TimeUnit.SECONDS).getHeader().getRevision();
                timedFrom[p] = intervalMs > 0 ? sentAt : System.nanoTime();
            } catch (Exception e) {
                errors.incrementAndGet();
            }
            long wait = TimeUnit.MILLISECONDS.toNanos(intervalMs) - (System.nanoTime() - sentAt);
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        allDelivered.await(60, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (int p = 0; p < puts; p++) {
            Long last = lastReceipt.get(revisions[p]);
            AtomicInteger count = received.get(revisions[p]);
            if (revisions[p] == 0 || last == null || count == null || count.get() < watchers) {
                errors.incrementAndGet();
                continue;
            }
            h.recordValue(Math.max(1, last - timedFrom[p]));
        }
        o.clients = watchers;
        o.conns = streams;
        Bench.print(Result.of(o, intervalMs > 0 ? "watch-paced" : "watch-fanout", h, errors.get(), elapsed));
        opened.forEach(StreamObserver::onCompleted);
        channels.forEach(ManagedChannel::shutdownNow);
        return 0;
    }
}
