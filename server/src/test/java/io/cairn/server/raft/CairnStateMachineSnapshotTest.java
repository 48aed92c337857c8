package io.cairn.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.RaftOutter;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import com.google.protobuf.Message;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.FileSync;
import io.cairn.server.storage.mvcc.MvccStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raft may truncate its log past a snapshot only once the snapshot's files are on disk. */
class CairnStateMachineSnapshotTest {
    @TempDir
    Path dir;
    Path snapshotDir;
    Backend backend;
    /** What happened, in order: state saved or installed, paths forced, raft told. */
    final List<String> events = new CopyOnWriteArrayList<>();
    CairnStateMachine fsm;

    @BeforeEach
    void open() throws Exception {
        snapshotDir = Files.createDirectories(dir.resolve("snapshot"));
        backend = Backend.open(dir.resolve("db"), 64L << 20);
        StateSnapshots state = new StateSnapshots() {
            @Override
            public List<String> save(Path target) throws java.io.IOException {
                Files.writeString(target.resolve(Backend.DATA_FILE), "state");
                events.add("saved");
                return List.of(Backend.DATA_FILE);
            }

            @Override
            public void install(Path source) {
                events.add("installed");
            }

            @Override
            public long appliedIndex() {
                return 0;
            }
        };
        FileSync recording = path -> events.add("forced " + snapshotDir.relativize(path));
        fsm = new CairnStateMachine(MvccStore.open(backend), (batch, command) -> null, state,
                new SnapshotPolicy(100, 1, dir.resolve("archive")), recording);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aSavedSnapshotIsForcedBeforeRaftIsTold() throws Exception {
        CompletableFuture<Status> told = new CompletableFuture<>();
        fsm.onSnapshotSave(new Writer(), status -> {
            events.add("told raft");
            told.complete(status);
        });

        assertThat(told.get(10, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(events).containsExactly("saved", "forced " + Backend.DATA_FILE, "forced ", "told raft");
    }

    @Test
    void aSnapshotFromTheLeaderIsForcedBeforeItIsInstalled() throws Exception {
        Files.writeString(snapshotDir.resolve(Backend.DATA_FILE), "state");

        assertThat(fsm.onSnapshotLoad(new Reader())).isTrue();
        assertThat(events).containsExactly("forced " + Backend.DATA_FILE, "forced ", "installed");
    }

    /** JRaft's writer, reduced to what the state machine uses. */
    private final class Writer extends SnapshotWriter {
        private final Set<String> files = new HashSet<>();

        @Override
        public boolean saveMeta(RaftOutter.SnapshotMeta meta) {
            return true;
        }

        @Override
        public boolean addFile(String fileName, Message fileMeta) {
            return files.add(fileName);
        }

        @Override
        public boolean removeFile(String fileName) {
            return files.remove(fileName);
        }

        @Override
        public void close(boolean keepDataOnError) {
        }

        @Override
        public void close() {
        }

        @Override
        public String getPath() {
            return snapshotDir.toString();
        }

        @Override
        public Set<String> listFiles() {
            return files;
        }

        @Override
        public Message getFileMeta(String fileName) {
            return null;
        }

        @Override
        public boolean init(Void opts) {
            return true;
        }

        @Override
        public void shutdown() {
        }
    }

    /** JRaft's reader of a snapshot received from the leader, at index 10. */
    private final class Reader extends SnapshotReader {
        @Override
        public RaftOutter.SnapshotMeta load() {
            return RaftOutter.SnapshotMeta.newBuilder().setLastIncludedIndex(10).setLastIncludedTerm(1).build();
        }

        @Override
        public String generateURIForCopy() {
            return null;
        }

        @Override
        public void close() {
        }

        @Override
        public String getPath() {
            return snapshotDir.toString();
        }

        @Override
        public Set<String> listFiles() {
            return Set.of(Backend.DATA_FILE);
        }

        @Override
        public Message getFileMeta(String fileName) {
            return null;
        }

        @Override
        public boolean init(Void opts) {
            return true;
        }

        @Override
        public void shutdown() {
        }
    }
}
