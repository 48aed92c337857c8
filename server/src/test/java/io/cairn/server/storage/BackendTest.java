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

            target.replaceWith(dir.resolve("copy").resolve(Backend.DATA_FILE));

            assertThat(forced).containsExactly("target/" + Backend.DATA_FILE + ".installing", "target");
            assertThat(target.readMeta(Schema.Meta.APPLIED_INDEX)).hasValue(7);
        }
    }
}
