package io.cairn.server.node;

import io.cairn.server.raft.SeedSnapshot;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.FileSync;
import io.cairn.server.storage.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Seeds an empty data dir from a file saved with {@code etcdctl snapshot save}: the keyspace
 * as it was, under a new raft log and the membership the flags describe — etcd's
 * {@code snapshot restore}: the database, and a raft snapshot of it that the new log follows.
 * Runs before the member starts, so it writes them itself.
 */
public final class Restore {
    private static final int SHA256_BYTES = 32;

    private Restore() {
    }

    public static void restore(Path snapshot, NodeConfig config) throws IOException {
        if (Files.exists(config.dataDir()) && !isEmpty(config.dataDir())) {
            throw new IOException("data dir " + config.dataDir() + " exists; restore needs a new one");
        }
        long size = Files.size(snapshot);
        if (size <= SHA256_BYTES) {
            throw new IOException(snapshot + " is too small to be a snapshot");
        }
        // built aside and moved in place whole: a restore cut short leaves no data dir to start from
        Path target = config.dataDir().toAbsolutePath();
        Path stage = target.resolveSibling(target.getFileName() + ".restoring");
        CairnNode.deleteTree(stage);
        Path db = stage.resolve(config.dataDir().relativize(config.dbDir()));
        Files.createDirectories(db);
        Path data = db.resolve(Backend.DATA_FILE);
        try (InputStream in = Files.newInputStream(snapshot)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var out = Files.newOutputStream(data)) {
                byte[] buffer = new byte[1 << 16];
                long left = size - SHA256_BYTES;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException(snapshot + " ended early");
                    }
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
            if (!Arrays.equals(in.readAllBytes(), sha.digest())) {
                CairnNode.deleteTree(stage);
                throw new IOException(snapshot + " fails its SHA-256 check: corrupt or not a Cairn snapshot");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        try (Backend backend = Backend.open(db, config.quotaBackendBytes())) {
            backend.resetForRestore(SeedSnapshot.INDEX);
        }
        SeedSnapshot.write(stage.resolve(config.dataDir().relativize(config.raftDir())),
                CairnNode.initialRaftMembers(config), db, List.of(Backend.DATA_FILE));
        Files.deleteIfExists(target); // an empty data dir, if one was there
        Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
        FileSync.DISK.force(target.getParent());
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
