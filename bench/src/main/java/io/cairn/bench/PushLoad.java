package io.cairn.bench;

import io.cairn.api.discovery.DeregisterRequest;
import io.cairn.api.discovery.DeregisterResponse;
import io.cairn.api.discovery.InstanceChange;
import io.cairn.api.discovery.InstanceKey;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.api.discovery.SubscribeRequest;
import io.cairn.api.discovery.SubscribeResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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
 * Registry push: S subscribers of one service (Subscribe streams spread over --conns
 * connections), then C changes, a registration and a deregistration in turn. For each change the
 * latency is from the moment it was asked for (so it includes committing it) to the moment the
 * last subscriber received it: on one member subscribers often hear of a change before its
 * writer does, so timing from the acknowledgement, as {@code watch} does, would say 0. Each subscriber must get each change exactly once: a change a subscriber never
 * got, or got twice, is an error, and any error makes the command fail.
 *
 * <p>By default a change is made once the one before reached every subscriber (or
 * --timeout passed), so the figure is the push latency of one change, not the queueing of many;
 * {@code --interval-ms} makes changes at a fixed pace instead.
 */
@Command(name = "push", description = "Registry push: latency from a change to the last subscriber to receive it, and misses.")
final class PushLoad implements Callable<Integer> {
    @Mixin
    Options o;

    @Option(names = "--subscribers", defaultValue = "1000", description = "Subscribe streams on the service")
    int subscribers;

    @Option(names = "--changes", defaultValue = "200", description = "changes: registrations and deregistrations in turn")
    int changes;

    @Option(names = "--instances", defaultValue = "10", description = "instances registered before subscribing")
    int instances;

    @Option(names = "--interval-ms", defaultValue = "0",
            description = "milliseconds between changes; 0: each change once the one before reached every subscriber")
    long intervalMs;

    @Option(names = "--timeout", defaultValue = "10",
            description = "seconds a change may take to reach every subscriber; after one that took longer, changes come each 100 ms")
    long timeoutSeconds;

    @Option(names = "--service", defaultValue = "bench-push", description = "the service subscribed to")
    String service;

    /** Who received one change (by its revision), and when the last of them did. */
    private final class Delivery {
        final CountDownLatch all = new CountDownLatch(subscribers);
        final AtomicLong lastAt = new AtomicLong();
    }

    private final ConcurrentHashMap<Long, Delivery> deliveries = new ConcurrentHashMap<>();

    private Delivery delivery(long revision) {
        return deliveries.computeIfAbsent(revision, r -> new Delivery());
    }

    /** One subscriber; gRPC calls it for one response at a time. */
    private final class Subscriber implements StreamObserver<SubscribeResponse> {
        final CountDownLatch listed;
        final Set<Long> seen = new HashSet<>();
        final AtomicInteger duplicates;
        volatile Throwable failure;

        Subscriber(CountDownLatch listed, AtomicInteger duplicates) {
            this.listed = listed;
            this.duplicates = duplicates;
        }

        @Override
        public void onNext(SubscribeResponse r) {
            long now = System.nanoTime();
            if (r.getSnapshot()) {
                listed.countDown();
            }
            for (InstanceChange c : r.getChangesList()) {
                if (!seen.add(c.getRevision())) {
                    duplicates.incrementAndGet();
                    continue;
                }
                Delivery d = delivery(c.getRevision());
                d.lastAt.accumulateAndGet(now, Math::max);
                d.all.countDown();
            }
        }

        @Override
        public void onError(Throwable t) {
            failure = t;
        }

        @Override
        public void onCompleted() {
        }
    }

    @Override
    public Integer call() throws Exception {
        List<ManagedChannel> channels = Load.channels(o.endpoints, Math.max(1, o.conns));
        String run = RegistryLoad.runId();
        for (int i = 0; i < instances; i++) {
            RegistryLoad.register(channels.get(0), RegistryLoad.instance(service, run + "-base-" + i, i), 600)
                    .get(10, TimeUnit.SECONDS);
        }
        CountDownLatch listed = new CountDownLatch(subscribers);
        AtomicInteger duplicates = new AtomicInteger();
        List<Subscriber> subs = new ArrayList<>();
        SubscribeRequest request = SubscribeRequest.newBuilder().setNamespace(RegistryLoad.NAMESPACE).setService(service).build();
        for (int s = 0; s < subscribers; s++) {
            Subscriber sub = new Subscriber(listed, duplicates);
            subs.add(sub);
            RegistryGrpc.newStub(channels.get(s % channels.size())).subscribe(request, sub);
        }
        if (!listed.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException((subscribers - listed.getCount()) + " of " + subscribers
                    + " subscribers had their full list in 60 s");
        }
        long[] revisions = new long[changes];
        long[] madeAt = new long[changes];
        long failedChanges = 0;
        boolean timedOut = false;
        long start = System.nanoTime();
        for (int p = 0; p < changes; p++) {
            madeAt[p] = System.nanoTime();
            String id = run + "-" + p / 2;
            try {
                revisions[p] = p % 2 == 0
                        ? RegistryLoad.register(channels.get(0), RegistryLoad.instance(service, id, p), 600)
                        .get(10, TimeUnit.SECONDS).getInstance().getRevision()
                        : deregister(channels.get(0), id).get(10, TimeUnit.SECONDS).getHeader().getRevision();
            } catch (Exception e) {
                failedChanges++;
                continue;
            }
            if (intervalMs == 0 && !timedOut) {
                // once one change did not reach everyone, the run has failed: the rest only pace
                timedOut = !delivery(revisions[p]).all.await(timeoutSeconds, TimeUnit.SECONDS);
            } else {
                long wait = TimeUnit.MILLISECONDS.toNanos(intervalMs == 0 ? 100 : intervalMs) - (System.nanoTime() - madeAt[p]);
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
        // the last changes may still be on their way
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int p = 0; p < changes; p++) {
            if (revisions[p] != 0) {
                delivery(revisions[p]).all.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        long elapsed = System.nanoTime() - start;
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long missed = 0;
        for (int p = 0; p < changes; p++) {
            if (revisions[p] == 0) {
                continue;
            }
            Delivery d = delivery(revisions[p]);
            if (d.all.getCount() > 0) {
                missed += d.all.getCount();
                continue;
            }
            h.recordValue(Math.max(1, d.lastAt.get() - madeAt[p]));
        }
        long failedSubscribers = subs.stream().filter(s -> s.failure != null).count();
        long errors = failedChanges + missed + duplicates.get();
        o.clients = subscribers;
        o.conns = channels.size();
        Result result = Result.of(o, "push", h, errors, elapsed);
        System.out.println(result.human() + String.format("; %d changes failed, %d deliveries missed, %d repeated,"
                + " %d subscriptions broken", failedChanges, missed, duplicates.get(), failedSubscribers));
        System.out.println(result.json());
        channels.forEach(ManagedChannel::shutdownNow);
        return errors == 0 ? 0 : 1;
    }

    private CompletableFuture<DeregisterResponse> deregister(ManagedChannel ch, String id) {
        CompletableFuture<DeregisterResponse> f = new CompletableFuture<>();
        RegistryGrpc.newStub(ch).deregister(DeregisterRequest.newBuilder().setKey(InstanceKey.newBuilder()
                .setNamespace(RegistryLoad.NAMESPACE).setService(service).setId(id)).build(), Load.into(f));
        return f;
    }
}
