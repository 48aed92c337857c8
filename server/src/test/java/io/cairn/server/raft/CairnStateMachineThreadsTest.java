package io.cairn.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.cairn.server.command.Command;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.FileSync;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.TxnWrite;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JRaft runs read-index callbacks on its apply thread when a read waited for its index to
 * apply; what callers chained on the read must not run there, or a slow step (a forwarded
 * proposal opening a connection) stalls every member's progress.
 */
class CairnStateMachineThreadsTest {
    @TempDir
    Path dir;

    @Test
    void workHandedOffTheApplyThreadRunsElsewhereAfterTheAnswersAlreadyQueued() throws Exception {
        try (Backend backend = Backend.open(dir, 64L << 20)) {
            MvccStore store = MvccStore.open(backend);
            CairnStateMachine fsm = new CairnStateMachine(store, (batch, command) -> {
                TxnWrite w = batch.write();
                w.put(command.getPut().getKey(), command.getPut().getValue(), 0);
                w.end();
                return PutResponse.getDefaultInstance();
            }, new NoSnapshots(), new SnapshotPolicy(100, 1, dir.resolve("archive")), FileSync.DISK);
            Command put = Command.newBuilder().setPut(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v"))).build();
            Proposal proposal = new Proposal(put);
            CompletableFuture<Message> answer = proposal.future();

            fsm.onApply(new OneEntry(put, proposal)); // this thread is now the apply thread
            CompletableFuture<Thread> handedOff = new CompletableFuture<>();
            AtomicBoolean answeredFirst = new AtomicBoolean();
            fsm.offApplyThread(() -> {
                answeredFirst.set(answer.isDone());
                handedOff.complete(Thread.currentThread());
            });

            assertThat(handedOff.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
            assertThat(answeredFirst).as("the batch's answer went out before the handed-off work").isTrue();
            store.close();
        }
    }

    @Test
    void workOnAnyOtherThreadRunsAtOnce() throws Exception {
        try (Backend backend = Backend.open(dir, 64L << 20)) {
            MvccStore store = MvccStore.open(backend);
            CairnStateMachine fsm = new CairnStateMachine(store, (batch, command) -> PutResponse.getDefaultInstance(),
                    new NoSnapshots(), new SnapshotPolicy(100, 1, dir.resolve("archive")), FileSync.DISK);
            Thread[] ranOn = new Thread[1];

            fsm.offApplyThread(() -> ranOn[0] = Thread.currentThread());

            assertThat(ranOn[0]).isSameAs(Thread.currentThread());
            store.close();
        }
    }
}
