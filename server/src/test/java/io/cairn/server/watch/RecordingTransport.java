package io.cairn.server.watch;

import io.cairn.api.etcd.WatchResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A watch client for tests: keeps every response in send order; can stop taking them. */
public class RecordingTransport implements WatchStream.Transport {
    /** What the stream sent, in order. */
    public final List<WatchResponse> got = new CopyOnWriteArrayList<>();
    private volatile boolean ready = true;

    /** Whether the client takes responses; a stalled one leaves them queued in the stream. */
    public void ready(boolean on) {
        ready = on;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void send(WatchResponse response) {
        got.add(response);
    }
}
