package io.cairn.bench;

import io.cairn.api.config.ConfigEvent;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.Format;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.ListenResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Config push: L listeners of one config, each its own Listen stream, spread over --conns
 * connections of this one process (the test spreads them over several processes; here
 * several connections stand in for them), then P publishes at a fixed pace. Each publish is made
 * over the version before it ({@code expected_version}), so the version it writes is known
 * before it is sent, and a listener that hears of it before the publisher does is timed right.
 *
 * <p>Two figures: for each publish, from the start of its call to the moment the last listener
 * received it ({@code config-push}); and for each listener and publish, from the same start to
 * that listener's receipt ({@code config-push-each}). Every listener must receive every version
 * once and in order: a version a listener never got (a gap) is missed; one it got twice, or
 * after a later one, is repeated (and, in the second case, missed as well); any of these, a
 * failed publish or a broken stream makes the command fail.
 */
@Command(name = "config-push", description = "Config push: latency from a publish to the last listener, and misses.",
        defaultValueProvider = ConfigPushLoad.Defaults.class)
final class ConfigPushLoad implements Callable<Integer> {
    @Mixin
    Options o;

    @Mixin
    ConfigLoad.ContentOptions c;

    @Option(names = "--listeners", defaultValue = "1000", description = "Listen streams on the config")
    int listeners;

    @Option(names = "--publishes", defaultValue = "100", description = "publishes of the config")
    int publishes;

    @Option(names = "--interval-ms", defaultValue = "50", description = "milliseconds from one publish's start to the next's")
    long intervalMs;

    @Option(names = "--timeout", defaultValue = "10", description = "seconds the last publish may take to reach every listener")
    long timeoutSeconds;

    @Option(names = "--data-id", defaultValue = "push", description = "the config listened to")
    String dataId;

    /** Ten connections, as {@code push} is run. */
    static final class Defaults extends ConfigLoad.OptionDefaults {
        Defaults() {
            super(Map.of("--conns", "10"));
        }
    }

    /** Publish p writes version base + 1 + p; its call started at startedAt[p]. */
    private long base;
    private AtomicLongArray startedAt;
    private AtomicLongArray lastAt;
    private CountDownLatch[] delivered;
    private final AtomicLong repeated = new AtomicLong();
    private final Histogram each = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);

    /** One listener; gRPC calls it for one response at a time. */
    private final class Listener implements StreamObserver<ListenResponse> {
        final CountDownLatch ready;
        /** The last version received in order; 0 until the current version came. */
        long last;
        volatile String failure;

        Listener(CountDownLatch ready) {
            this.ready = ready;
        }

        @Override
        public void onNext(ListenResponse r) {
            long now = System.nanoTime();
            for (ConfigEvent e : r.getEventsList()) {
                long v = e.getConfig().getVersion();
                if (last == 0) {
                    last = v; // the current version, sent first
                } else if (v <= last) {
                    repeated.incrementAndGet(); // a duplicate, or a version older than one already seen
                } else {
                    last = v; // versions between last and v are a gap: their latches keep this listener's count
                    int p = (int) (v - base - 1);
                    if (p >= 0 && p < publishes && startedAt.get(p) != 0) {
                        each.recordValue(Math.max(1, now - startedAt.get(p)));
                        lastAt.accumulateAndGet(p, now, Math::max);
                        delivered[p].countDown();
                    }
                }
            }
            if (r.getReady()) {
                ready.countDown();
            }
        }

        @Override
        public void onError(Throwable t) {
            failure = String.valueOf(t);
            ready.countDown();
        }

        @Override
        public void onCompleted() {
        }
    }

    @Override
    public Integer call() throws Exception {
        List<ManagedChannel> channels = Load.channels(o.endpoints, Math.max(1, o.conns));
        ManagedChannel publisher = channels.get(0);
        ConfigLoad.ensureNamespace(publisher);
        ConfigKey key = ConfigLoad.key(dataId);
        Format format = c.wireFormat();
        base = ConfigLoad.publish(publisher, key, ConfigLoad.content(c, dataId, 0), format, 0)
                .get(10, TimeUnit.SECONDS).getConfig().getVersion();
        startedAt = new AtomicLongArray(publishes);
        lastAt = new AtomicLongArray(publishes);
        delivered = new CountDownLatch[publishes];
        for (int p = 0; p < publishes; p++) {
            delivered[p] = new CountDownLatch(listeners);
        }
        CountDownLatch ready = new CountDownLatch(listeners);
        List<Listener> all = new ArrayList<>();
        ListenRequest request = ListenRequest.newBuilder().setNamespace(ConfigLoad.NAMESPACE).addConfigs(key).build();
        for (int l = 0; l < listeners; l++) {
            Listener listener = new Listener(ready);
            all.add(listener);
            ConfigGrpc.newStub(channels.get(l % channels.size())).listen(request, listener);
        }
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException((listeners - ready.getCount()) + " of " + listeners
                    + " listeners had the current version in 60 s");
        }
        long failedPublishes = 0;
        long start = System.nanoTime();
        for (int p = 0; p < publishes; p++) {
            long at = System.nanoTime();
            startedAt.set(p, at);
            try {
                ConfigLoad.publish(publisher, key, ConfigLoad.content(c, dataId, p + 1), format, base + p)
                        .get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the versions after it would not be the ones expected: the run stops here
                startedAt.set(p, 0);
                failedPublishes = publishes - p;
                System.err.println("config-push: publish " + (p + 1) + " failed: " + e);
                break;
            }
            long wait = TimeUnit.MILLISECONDS.toNanos(intervalMs) - (System.nanoTime() - at);
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        // the last publishes may still be on their way
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int p = publishes - 1; p >= 0; p--) {
            if (startedAt.get(p) != 0) {
                delivered[p].await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        long elapsed = System.nanoTime() - start;
        return report(all, failedPublishes, elapsed, channels);
    }

    private int report(List<Listener> all, long failedPublishes, long elapsed, List<ManagedChannel> channels) {
        Histogram toLast = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long missed = 0;
        for (int p = 0; p < publishes; p++) {
            if (startedAt.get(p) == 0) {
                continue;
            }
            if (delivered[p].getCount() > 0) {
                missed += delivered[p].getCount();
            } else {
                toLast.recordValue(Math.max(1, lastAt.get(p) - startedAt.get(p)));
            }
        }
        long repeated = this.repeated.get();
        long broken = all.stream().filter(l -> l.failure != null).count();
        all.stream().map(l -> l.failure).filter(f -> f != null).findFirst()
                .ifPresent(f -> System.err.println("config-push: a listen broke: " + f));
        long errors = failedPublishes + missed + repeated + broken;
        o.clients = listeners;
        o.conns = channels.size();
        Result last = Result.of(o, "config-push", toLast, errors, elapsed);
        Result every = Result.of(o, "config-push-each", each, errors, elapsed);
        System.out.println(last.human() + String.format("; %d publishes failed, %d deliveries missed, %d repeated or"
                + " out of order, %d listens broken", failedPublishes, missed, repeated, broken));
        System.out.println(every.human());
        System.out.println(last.json());
        System.out.println(every.json());
        channels.forEach(ManagedChannel::shutdownNow);
        return errors == 0 ? 0 : 1;
    }
}
