package io.cairn.server.raft;

import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.entity.LocalFileMetaOutter.LocalFileMeta;
import com.alipay.sofa.jraft.entity.RaftOutter.SnapshotMeta;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.storage.SnapshotStorage;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import io.cairn.server.storage.FileSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The raft snapshot a restored member starts from, as etcd's snapshot restore writes one: the
 * restored state as of index {@link #INDEX} of term 1, with the first members. Its raft log then
 * starts after it, so a member added later is sent this snapshot, not a log that lacks the
 * restored keyspace; and a member whose database cannot be trusted after a crash rebuilds from it.
 */
public final class SeedSnapshot {
    /** The raft index the restored state stands for; the first command gets the next. */
    public static final long INDEX = 1;

    private SeedSnapshot() {
    }

    /**
     * Writes a snapshot of {@code stateFiles} (names in {@code stateDir}) into the raft data dir
     * {@code raftDir} (JRaft's layout, as {@link RaftNode} gives it), with {@code members} as
     * host:port.
     */
    public static void write(Path raftDir, List<String> members, Path stateDir, List<String> stateFiles)
            throws IOException {
        NodeOptions options = new NodeOptions();
        options.setSnapshotUri(RaftNode.snapshotDir(raftDir).toString());
        SnapshotStorage storage = new DefaultJRaftServiceFactory().createSnapshotStorage(options);
        if (!storage.init(null)) {
            throw new IOException("cannot open the raft snapshot storage in " + raftDir);
        }
        try {
            SnapshotWriter writer = storage.create();
            if (writer == null) {
                throw new IOException("cannot create a raft snapshot in " + raftDir);
            }
            Path dir = Path.of(writer.getPath());
            for (String file : stateFiles) {
                Files.copy(stateDir.resolve(file), dir.resolve(file));
            }
            FileSync.DISK.forceAll(dir, stateFiles);
            for (String file : stateFiles) {
                writer.addFile(file, LocalFileMeta.newBuilder().setChecksum(SnapshotFiles.checksum(dir.resolve(file))).build());
            }
            writer.saveMeta(SnapshotMeta.newBuilder().setLastIncludedIndex(INDEX).setLastIncludedTerm(1)
                    .addAllPeers(members).build());
            writer.close(); // JRaft writes the meta and moves the snapshot in place, forcing both
        } finally {
            storage.shutdown();
        }
    }
}
