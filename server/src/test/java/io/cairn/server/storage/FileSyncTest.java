package io.cairn.server.storage;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSyncTest {
    @TempDir
    Path dir;

    /** A directory cannot be opened for writing: forcing one must open it for reading. */
    @Test
    void theDiskForcesFilesAndTheirDirectory() throws Exception {
        Files.writeString(dir.resolve("data.mdb"), "state");

        assertThatCode(() -> FileSync.DISK.forceAll(dir, List.of("data.mdb"))).doesNotThrowAnyException();
    }
}
