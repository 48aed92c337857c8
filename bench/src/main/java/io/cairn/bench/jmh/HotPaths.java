package io.cairn.bench.jmh;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.apply.KvApplier;
import io.cairn.server.apply.Ranges;
import io.cairn.server.lease.LeaseStore;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.TxnRead;
import io.cairn.server.storage.mvcc.WriteBatch;
import io.cairn.server.watch.WatchHub;
import io.cairn.server.watch.WatchStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cairn's hot paths, one at a time: applying a raft batch of puts (one LMDB transaction), a
 * range scan, matching a batch's events to watchers, and encoding a watch response. Run with
 * {@code java -cp bench/target/cairn-bench.jar:bench/target/lib/* org.openjdk.jmh.Main HotPaths}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class HotPaths {
    private static final int BATCH = 100;
    private static final int KEYS = 10_000;

    private Path dir;
    private Backend backend;
    private MvccStore store;
    private KvApplier kv;
    private WatchHub hub;
    private List<PutRequest> puts;
    private List<Event> events;
    private WatchResponse response;
    private long appliedIndex;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("cairn-jmh");
        backend = Backend.open(dir, 8L << 30);
        store = MvccStore.open(backend);
        kv = new KvApplier(new LeaseStore());
        ByteString value = ByteString.copyFrom(new byte[256]);
        puts = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            puts.add(PutRequest.newBuilder().setKey(key(i)).setValue(value).build());
        }
        for (int b = 0; b < KEYS / BATCH; b++) {
            applyBatch();
        }
        hub = new WatchHub(store, h -> h, 1 << 20, 3_600_000);
        for (int s = 0; s < 10; s++) {
            WatchStream stream = hub.open(new WatchStream.Transport() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void send(WatchResponse r) {
                }
            }, r -> null);
            for (int w = 0; w < 100; w++) { // 1000 watchers: one key each of 100, and 10 ranges
                WatchCreateRequest.Builder c = WatchCreateRequest.newBuilder().setKey(key(w));
                if (w % 10 == 0) {
                    c.setRangeEnd(key(w + 50));
                }
                stream.handle(WatchRequest.newBuilder().setCreateRequest(c).build());
            }
        }
        events = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            events.add(Event.newBuilder().setKv(KeyValue.newBuilder().setKey(key(i)).setValue(value)
                    .setModRevision(i + 1).setCreateRevision(1).setVersion(2)).build());
        }
        response = WatchResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(1000))
                .setWatchId(7).addAllEvents(events).build();
    }

    private static ByteString key(int i) {
        return ByteString.copyFromUtf8(String.format("key/%06d", i));
    }

    /** One raft batch of 100 puts: one LMDB write transaction, committed. */
    @Benchmark
    public void applyBatchOf100Puts() {
        applyBatch();
    }

    private void applyBatch() {
        try (WriteBatch batch = store.beginBatch()) {
            for (int i = 0; i < BATCH; i++) {
                kv.put(batch, puts.get(next++ % KEYS));
            }
            batch.commit(++appliedIndex);
        }
    }

    /** A range of 100 keys out of 10,000. */
    @Benchmark
    public RangeResponse rangeOf100Keys() {
        try (TxnRead view = store.read()) {
            return Ranges.range(view, RangeRequest.newBuilder().setKey(key(5000)).setRangeEnd(key(5100)).build());
        }
    }

    /** A batch of 100 events matched against 1000 watchers. */
    @Benchmark
    public void match100EventsTo1000Watchers() {
        hub.notify(events);
    }

    /** A watch response of 100 events, encoded for the wire. */
    @Benchmark
    public byte[] encodeWatchResponseOf100Events() {
        return response.toByteArray();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        hub.close();
        backend.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
