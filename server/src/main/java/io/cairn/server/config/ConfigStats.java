package io.cairn.server.config;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import io.cairn.server.time.WallClock;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleConsumer;

/**
 * What the config center's metrics count: versions written (from the applied events, so every
 * member counts every publish, wherever it was made) and how long pushes took (a listener's
 * send, after the leader stamped the version).
 */
public final class ConfigStats {
    private static final ByteString HISTORY = ByteString.copyFromUtf8("/cairn/config-history/");
    private final LongAdder versions = new LongAdder();
    private volatile DoubleConsumer pushSeconds = seconds -> { };

    /** Told every batch of applied events; most are not the config center's, told apart by a prefix. */
    public void committed(List<Event> events) {
        for (Event e : events) {
            if (e.getType() == Event.EventType.PUT && e.getKv().getKey().startsWith(HISTORY)) {
                versions.increment();
            }
        }
    }

    public long versions() {
        return versions.sum();
    }

    /** Where push latencies go (a histogram, in seconds). */
    public void onPush(DoubleConsumer observer) {
        this.pushSeconds = observer;
    }

    void pushed(long versionTimeMs) {
        if (versionTimeMs > 0) {
            pushSeconds.accept(Math.max(0, WallClock.nowMs() - versionTimeMs) / 1000.0);
        }
    }
}
