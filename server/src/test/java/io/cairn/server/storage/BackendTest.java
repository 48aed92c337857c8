package io.cairn.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Txn;

class BackendTest {
    private static final long QUOTA = 64L << 20;

    @TempDir
    Path dir;

    /** A crash after the rename must find the whole new file under the name, and the rename itself. */
    @Test
    void aReplacementIsForcedBeforeItIsRenamedAndItsDirectoryAfter() throws Exception {
        List<String> forced = new ArrayList<>();
        FileSync recording = path -> forced.add(dir.relativize(path) + (Files.exists(path) ? "" : " (gone)"));
        try (Backend source = Backend.open(dir.resolve("source"), QUOTA);
             Backend target = Backend.open(dir.resolve("target"), QUOTA, recording)) {
            try (Txn<ByteBuffer> txn = source.writeTxn()) {
                source.putMeta(txn, Schema.Meta.APPLIED_INDEX, 7);
                source.commit(txn);
            }
            source.copyTo(dir.resolve("copy"));
            forced.clear(); // what opening forced is another test's

            target.replaceWith(dir.resolve("copy").resolve(Backend.DATA_FILE));

            assertThat(forced).containsExactly("target/" + Backend.DATA_FILE + ".installing", "target");
            assertThat(target.readMeta(Schema.Meta.APPLIED_INDEX)).hasValue(7);
        }
    }

    @Test
    void aDatabaseClosedAfterItsSyncOrLeftOpenInThisBootIsTrusted() throws Exception {
        Path db = dir.resolve("db");
        Backend first = Backend.open(db, QUOTA);
        commitAppliedIndex(first, 5);
        assertThat(db.resolve(UnsyncedMark.FILE)).exists();
        first.close();
        assertThat(db.resolve(UnsyncedMark.FILE)).doesNotExist();

        Backend second = Backend.open(db, QUOTA);
        commitAppliedIndex(second, 6);
        // a process killed now leaves its commits in the page cache: the mark names this boot
        try (Backend third = reopenAfterKill(second, db)) {
            assertThat(third.readMeta(Schema.Meta.APPLIED_INDEX)).hasValue(6);
            assertThat(db.resolve(Backend.UNTRUSTED_FILE)).doesNotExist();
        }
    }

    @Test
    void aDatabaseLeftOpenInAnEarlierBootIsSetAside() throws Exception {
        Path db = dir.resolve("db");
        Backend open = Backend.open(db, QUOTA);
        commitAppliedIndex(open, 9);
        Files.writeString(db.resolve(UnsyncedMark.FILE), "an-earlier-boot");

        try (Backend recovered = reopenAfterKill(open, db)) {
            assertThat(recovered.readMeta(Schema.Meta.APPLIED_INDEX)).as("rebuilt from nothing").isEmpty();
            assertThat(db.resolve(Backend.UNTRUSTED_FILE)).exists();
        }
    }

    private static void commitAppliedIndex(Backend backend, long index) {
        try (Txn<ByteBuffer> txn = backend.writeTxn()) {
            backend.putMeta(txn, Schema.Meta.APPLIED_INDEX, index);
            backend.commit(txn);
        }
    }

    /** Opens {@code db} again as a new process would after {@code open}'s was killed: no sync, the mark left. */
    private static Backend reopenAfterKill(Backend open, Path db) throws Exception {
        String mark = Files.readString(db.resolve(UnsyncedMark.FILE));
        open.close(); // LMDB keeps one environment per file in a process; the mark is put back as a kill leaves it
        Files.writeString(db.resolve(UnsyncedMark.FILE), mark);
        return Backend.open(db, QUOTA);
    }
}
