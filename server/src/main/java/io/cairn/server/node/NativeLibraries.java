package io.cairn.server.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.NativeLibraryLoader;

/**
 * Unpacks LMDB's and RocksDB's (JRaft's log) native libraries into the member's scratch folder
 * rather than the system's temporary one. Both delete their copy only at a clean exit, so every
 * member killed with SIGKILL used to leave about 14 MB in /tmp; the scratch folder is emptied
 * at each start instead. The first member a JVM starts chooses the folder for all.
 */
final class NativeLibraries {
    /** lmdbjava's property for where it unpacks its library (its Library class is not public). */
    private static final String LMDB_EXTRACT_DIR = "lmdbjava.extract.dir";
    private static boolean placed;

    private NativeLibraries() {
    }

    static synchronized void placeIn(Path dir) throws IOException {
        if (placed) {
            return;
        }
        Files.createDirectories(dir);
        if (System.getProperty(LMDB_EXTRACT_DIR) == null) {
            System.setProperty(LMDB_EXTRACT_DIR, dir.toString());
        }
        // loaded once per JVM: JRaft's own RocksDB.loadLibrary() then finds it loaded
        NativeLibraryLoader.getInstance().loadLibrary(dir.toString());
        placed = true;
    }
}
