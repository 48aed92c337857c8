package io.cairn.server.raft;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When to take raft snapshots and how many to keep, as etcd's {@code --snapshot-count} and
 * {@code --max-snapshots}. JRaft keeps only its latest snapshot; earlier ones stay in
 * {@code archive} as hard links (no extra writes) until more than {@code retained} exist.
 *
 * @param count    applied entries between snapshots
 * @param retained snapshots to keep, the latest included
 * @param archive  where earlier snapshots are kept
 */
public record SnapshotPolicy(long count, int retained, Path archive) {
    private static final String SUFFIX = ".snap";

    /** Keeps the files of the snapshot just saved in {@code dir}, then drops the oldest beyond the limit. */
    void retain(Path dir, long index) throws IOException {
        if (retained <= 1) {
            return;
        }
        Path target = archive.resolve(String.format("%016x%s", index, SUFFIX));
        Files.createDirectories(target);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.createLink(target.resolve(f.getFileName()), f);
            }
        }
        List<Path> kept = new ArrayList<>();
        try (DirectoryStream<Path> snaps = Files.newDirectoryStream(archive, "*" + SUFFIX)) {
            snaps.forEach(kept::add);
        }
        kept.sort(Comparator.comparing(Path::getFileName));
        // the latest snapshot also lives in JRaft's own directory, hence retained - 1 here
        for (int i = 0; i < kept.size() - (retained - 1); i++) {
            deleteTree(kept.get(i));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
