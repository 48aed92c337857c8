package io.cairn.server.watch;

import static io.cairn.server.apply.Keyspace.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.WatchCancelRequest;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchProgressRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.apply.Keyspace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of a watch stream etcdctl does not exercise: ids, cancel, progress, fragments, prev_kv. */
class WatchStreamTest {
    @TempDir
    Path dir;
    Keyspace ks;
    WatchHub hub;
    final RecordingTransport client = new RecordingTransport();
    final List<WatchResponse> got = client.got;
    WatchStream stream;

    @BeforeEach
    void open() {
        ks = new Keyspace(dir);
        hub = new WatchHub(ks.store(), h -> h, 200, 3_600_000);
        ks.onCommitted(hub::notify);
        stream = hub.open(client, create -> null);
    }

    @AfterEach
    void close() {
        hub.close();
        ks.close();
    }

    private void create(WatchCreateRequest.Builder r) {
        stream.handle(WatchRequest.newBuilder().setCreateRequest(r).build());
    }

    @Test
    void idsAreChosenByTheServerFromZeroOrByTheClientAndNeverTwice() {
        create(WatchCreateRequest.newBuilder().setKey(bytes("a")));
        create(WatchCreateRequest.newBuilder().setKey(bytes("a")).setWatchId(7));
        create(WatchCreateRequest.newBuilder().setKey(bytes("a")).setWatchId(7));
        create(WatchCreateRequest.newBuilder().setKey(bytes("a")));
        assertThat(got).extracting(WatchResponse::getWatchId).containsExactly(0L, 7L, -1L, 1L);
        assertThat(got.get(2).getCanceled()).isTrue();
        assertThat(got.get(2).getCancelReason()).isEqualTo("etcdserver: duplicate watch ID");
    }

    @Test
    void aCancelledWatcherGetsNothingMore() {
        create(WatchCreateRequest.newBuilder().setKey(bytes("a")));
        ks.put("a", "1");
        stream.handle(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(0)).build());
        ks.put("a", "2");
        assertThat(got).hasSize(3);
        assertThat(got.get(1).getEvents(0).getKv().getValue().toStringUtf8()).isEqualTo("1");
        assertThat(got.get(2).getCanceled()).isTrue();
        assertThat(hub.size()).isZero();
    }

    @Test
    void aProgressRequestReportsTheCurrentRevision() {
        ks.put("x", "1");
        stream.handle(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        assertThat(got.get(0).getWatchId()).isEqualTo(-1);
        assertThat(got.get(0).getHeader().getRevision()).isEqualTo(ks.store().currentRevision());
        assertThat(got.get(0).getEventsCount()).isZero();
    }

    @Test
    void largeResponsesAreFragmentedWhenAskedFor() {
        create(WatchCreateRequest.newBuilder().setKey(bytes("k")).setRangeEnd(bytes("l")).setFragment(true));
        ks.txn(io.cairn.api.etcd.TxnRequest.newBuilder()
                .addSuccess(put("k1", "x".repeat(150))).addSuccess(put("k2", "y".repeat(150)))
                .addSuccess(put("k3", "z".repeat(150))).build());
        List<WatchResponse> events = got.subList(1, got.size());
        assertThat(events).hasSize(3);
        assertThat(events).extracting(WatchResponse::getFragment).containsExactly(true, true, false);
        assertThat(events).flatExtracting(WatchResponse::getEventsList).extracting(e -> e.getKv().getKey().toStringUtf8())
                .containsExactly("k1", "k2", "k3");
    }

    @Test
    void prevKvIsSentOnlyToWatchersThatAskForIt() {
        ks.put("p", "old");
        create(WatchCreateRequest.newBuilder().setKey(bytes("p")).setPrevKv(true));
        create(WatchCreateRequest.newBuilder().setKey(bytes("p")));
        ks.put("p", "new");
        Event withPrev = got.get(2).getEvents(0);
        Event without = got.get(3).getEvents(0);
        assertThat(withPrev.getPrevKv().getValue().toStringUtf8()).isEqualTo("old");
        assertThat(without.hasPrevKv()).isFalse();
    }

    private static io.cairn.api.etcd.RequestOp put(String k, String v) {
        return io.cairn.api.etcd.RequestOp.newBuilder().setRequestPut(io.cairn.api.etcd.PutRequest.newBuilder()
                .setKey(bytes(k)).setValue(bytes(v))).build();
    }
}
