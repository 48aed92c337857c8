package io.cairn.server.watch;

import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchProgressRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.errors.ServerError;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A server stream fed by watchers of its own (a registry subscription, a config listen): what
 * they share. Responses go to a {@link StreamSink} as fast as it takes them; a heartbeat asks for
 * progress now and then, so a client can tell a live stream from a member that hangs; a member
 * cut off from its leader (two beats in a row, not one: an election is no reason to move
 * everyone) ends the stream with NO_LEADER, sending its client elsewhere.
 */
public abstract class WatchedStream<T> implements AutoCloseable {
    protected static final long HEARTBEAT_MS = 5000;

    protected final StreamSink<T> sink;
    protected final WatchStream stream;
    protected final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the watcher is in place: a progress notice without one would claim revisions never watched. */
    protected volatile boolean watching;
    private final AtomicInteger open;
    private final ScheduledFuture<?> heartbeat;
    /** Heartbeats in a row that found this member without a leader; touched by the timer only. */
    private int leaderlessBeats;

    /**
     * @param denial why a watcher may not be created (see {@link WatchHub#open}), null when it may
     * @param open   the count of such streams open on this member, kept here
     */
    protected WatchedStream(StreamSink<T> sink, WatchHub watches, Function<WatchCreateRequest, String> denial,
                            AtomicInteger open, ScheduledExecutorService timer, BooleanSupplier hasLeader) {
        this.sink = sink;
        this.open = open;
        this.stream = watches.open(new WatchStream.Transport() {
            @Override
            public boolean isReady() {
                return sink.isReady();
            }

            @Override
            public void send(WatchResponse response) {
                onWatch(response);
            }
        }, denial);
        open.incrementAndGet();
        this.heartbeat = timer.scheduleWithFixedDelay(() -> heartbeat(hasLeader), HEARTBEAT_MS, HEARTBEAT_MS,
                TimeUnit.MILLISECONDS);
    }

    /** What the stream's watchers say, in order. */
    protected abstract void onWatch(WatchResponse response);

    private void heartbeat(BooleanSupplier hasLeader) {
        leaderlessBeats = hasLeader.getAsBoolean() ? 0 : leaderlessBeats + 1;
        if (leaderlessBeats >= 2) {
            fail(ServerError.NO_LEADER.exception());
        } else if (watching) {
            stream.handle(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        }
    }

    /** Sends what the transport held back, once the sink can take more. */
    public void drain() {
        stream.drain();
    }

    /** Ends the stream with {@code failure}, unwrapped of a future's wrapping. */
    protected void fail(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        close();
        sink.fail(cause instanceof RuntimeException e ? e : new IllegalStateException(cause));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            heartbeat.cancel(false);
            open.decrementAndGet();
            stream.close();
        }
    }
}
