package io.cairn.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed loop: each client keeps one request in flight until the total is done or the time
 * is up; the first {@code warmup} requests are not measured. Latencies go to an HDR histogram.
 */
final class Load {
    /** One request of client {@code client}; {@code seq} counts all requests of the run. */
    interface Op {
        CompletableFuture<?> call(int client, long seq);
    }

    private Load() {
    }

    static List<ManagedChannel> channels(List<String> endpoints, int conns) {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            String[] hp = endpoints.get(i % endpoints.size()).replaceFirst("^https?://", "").split(":");
            channels.add(NettyChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1])).usePlaintext()
                    .maxInboundMessageSize(64 << 20).build());
        }
        return channels;
    }

    static Result run(Options o, String workload, Op op) throws InterruptedException {
        Histogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong issued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long total = o.total > 0 ? o.total + o.warmup : Long.MAX_VALUE;
        long[] startedAt = new long[1];
        long deadline = o.durationSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(o.durationSeconds + 2) : Long.MAX_VALUE;
        CountDownLatch finished = new CountDownLatch(o.clients);
        Progress progress = new Progress(o, workload, total == Long.MAX_VALUE ? -1 : o.total, done);
        long measureFrom = o.warmup;
        long[] measureStart = {0};
        long[] measureEnd = {0};
        for (int c = 0; c < o.clients; c++) {
            int client = c;
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                long seq = issued.getAndIncrement();
                if (seq >= total || System.nanoTime() > deadline
                        || (o.durationSeconds > 0 && measureStart[0] != 0
                        && System.nanoTime() - measureStart[0] > TimeUnit.SECONDS.toNanos(o.durationSeconds))) {
                    finished.countDown();
                    return;
                }
                if (seq == measureFrom) {
                    synchronized (measureStart) {
                        measureStart[0] = System.nanoTime();
                    }
                }
                long start = System.nanoTime();
                CompletableFuture<?> f;
                try {
                    f = op.call(client, seq);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                f.whenComplete((ok, failure) -> {
                    long end = System.nanoTime();
                    if (seq >= measureFrom) {
                        if (failure != null) {
                            errors.incrementAndGet();
                        } else {
                            latencies.recordValue(Math.max(1, end - start));
                        }
                        done.incrementAndGet();
                        measureEnd[0] = Math.max(measureEnd[0], end);
                    }
                    next[0].run();
                });
            };
            next[0].run();
        }
        startedAt[0] = System.nanoTime();
        finished.await();
        progress.close();
        long elapsed = Math.max(1, measureEnd[0] - (measureStart[0] == 0 ? startedAt[0] : measureStart[0]));
        return Result.of(o, workload, latencies, errors.get(), elapsed);
    }

    /** A unary call on an async stub, as a future. */
    static <T> StreamObserver<T> into(CompletableFuture<T> f) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    /** A bar on stderr for a person at a terminal; nothing for scripts. */
    static final class Progress implements AutoCloseable {
        private final Thread thread;

        Progress(Options o, String workload, long total, AtomicLong done) {
            boolean show = System.console() != null && !o.quiet;
            thread = new Thread(() -> {
                long start = System.nanoTime();
                while (show && !Thread.currentThread().isInterrupted()) {
                    long n = done.get();
                    double s = (System.nanoTime() - start) / 1e9;
                    String bar = total > 0 ? String.format("%3d%% ", Math.min(100, n * 100 / Math.max(1, total))) : "";
                    System.err.printf("\r%s %s%d done, %.0f/s   ", workload, bar, n, n / Math.max(0.001, s));
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-progress");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            thread.interrupt();
            if (System.console() != null) {
                System.err.print("\r");
            }
        }
    }
}
