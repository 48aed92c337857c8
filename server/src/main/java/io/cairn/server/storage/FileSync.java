package io.cairn.server.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;

/**
 * Forces files Cairn writes itself to disk: raft snapshots and database files swapped in. LMDB
 * and JRaft's log sync their own writes. A new file survives a crash only once its contents
 * and the directory entry naming it are both forced, so callers force the file, then its
 * directory. An interface so that tests can see what was forced, and when.
 */
public interface FileSync {
    /** Forces to the disk itself (POSIX: opening a directory to fsync it works on Linux, not on Windows). */
    FileSync DISK = path -> {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    };

    /** Forces the contents of the file {@code path}, or the entries of the directory {@code path}. */
    void force(Path path) throws IOException;

    /** Forces each of {@code files} (names inside {@code dir}), then {@code dir} itself. */
    default void forceAll(Path dir, Collection<String> files) throws IOException {
        for (String file : files) {
            force(dir.resolve(file));
        }
        force(dir);
    }
}
