package io.cairn.server.robust;

import io.cairn.server.testing.CairnCluster;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client's stream through one member at a time, as etcd's clients and the SDK keep theirs:
 * when it breaks (the member killed, paused past a deadline, or removed) it opens again on the
 * next member, from where it left off, until closed.
 */
abstract class MemberStream implements AutoCloseable {
    private final String name;
    private final CairnCluster cluster;
    private final int firstMember;
    private Thread thread;
    private volatile boolean stopped;
    private volatile int reconnects;

    MemberStream(String name, CairnCluster cluster, int firstMember) {
        this.name = name;
        this.cluster = cluster;
        this.firstMember = firstMember;
    }

    /** Starts streaming; a subclass calls it once constructed. */
    final void start() {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens the stream on {@code channel}, from where the last one left off; completes when it breaks. */
    abstract CompletableFuture<Void> open(ManagedChannel channel);

    /** A stream's observer: each message to {@code onNext}; {@code broken} completes when the stream ends. */
    static <T> StreamObserver<T> until(CompletableFuture<Void> broken, java.util.function.Consumer<T> onNext) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T message) {
                onNext.accept(message);
            }

            @Override
            public void onError(Throwable t) {
                broken.complete(null);
            }

            @Override
            public void onCompleted() {
                broken.complete(null);
            }
        };
    }

    /** The revision up to which everything has arrived. */
    abstract long progress();

    private void run() {
        int member = firstMember;
        while (!stopped) {
            ManagedChannel channel = cluster.member(member).channel();
            CompletableFuture<Void> broken = open(channel);
            while (!stopped && !broken.isDone()) {
                try {
                    broken.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // still open
                } catch (Exception e) {
                    break;
                }
            }
            channel.shutdownNow();
            if (!stopped) {
                reconnects++;
                member = (member + 1) % cluster.members().size();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Waits until everything up to {@code revision} has arrived; false if it did not by the deadline. */
    boolean awaitRevision(long revision, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (progress() < revision) {
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

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        if (thread != null) {
            thread.join(5000);
        }
    }
}
