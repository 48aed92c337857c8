package io.cairn.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.TxnWrite;
import io.cairn.server.watch.WatchHub;
import io.cairn.server.watch.WatchStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that fails after changing the in-memory index leaves a member whose memory is ahead
 * of its database: it must stop serving reads and watches, and say why, rather than serve it.
 */
class CairnStateMachineFailureTest {
    @TempDir
    Path dir;

    @Test
    void aMemberWhoseBatchFailedServesNoReadsAndCancelsItsWatchers() throws Exception {
        try (Backend backend = Backend.open(dir, 64L << 20)) {
            MvccStore store = MvccStore.open(backend);
            CairnStateMachine fsm = new CairnStateMachine(store, (batch, command) -> {
                TxnWrite w = batch.write();
                w.put(ByteString.copyFromUtf8("k"), ByteString.copyFromUtf8("v"), 0);
                w.end();
                throw new IllegalStateException("a failure nothing undid");
            }, new NoSnapshots(), new SnapshotPolicy(100, 1, dir.resolve("archive")), io.cairn.server.storage.FileSync.DISK);
            WatchHub hub = new WatchHub(store, h -> h, 1 << 20, 3_600_000);
            fsm.onCommitted(hub::notify);
            fsm.onFailure(why -> hub.stopServing(ServerError.STOPPED.text()));
            io.cairn.server.watch.RecordingTransport client = new io.cairn.server.watch.RecordingTransport();
            List<WatchResponse> got = client.got;
            WatchStream stream = hub.open(client, r -> null);
            stream.handle(WatchRequest.newBuilder().setCreateRequest(
                    WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))).build());

            OneEntry entry = new OneEntry(Command.newBuilder().setPut(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v"))).build());
            fsm.onApply(entry);

            assertThat(fsm.failed()).isTrue();
            assertThat(entry.rolledBack).isTrue();
            assertThatThrownBy(store::read).isInstanceOf(ServerException.class)
                    .extracting(e -> ((ServerException) e).error()).isEqualTo(ServerError.STOPPED);
            assertThat(got).last().satisfies(r -> {
                assertThat(r.getCanceled()).isTrue();
                assertThat(r.getCancelReason()).isEqualTo(ServerError.STOPPED.text());
            });
            assertThat(got).noneMatch(r -> r.getEventsCount() > 0);
            // and a watcher asked for afterwards is refused the same way
            stream.handle(WatchRequest.newBuilder().setCreateRequest(
                    WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("j"))).build());
            assertThat(got).last().satisfies(r -> {
                assertThat(r.getCanceled()).isTrue();
                assertThat(r.getCancelReason()).isEqualTo(ServerError.STOPPED.text());
            });
            hub.close();
            store.close();
        }
    }
}
