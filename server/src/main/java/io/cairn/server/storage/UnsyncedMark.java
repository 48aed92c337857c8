package io.cairn.server.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Says whether a database file may hold commits that never reached the disk. Commits are not
 * forced (the raft log is the durable record, see docs/durability.md): one that was written but
 * not forced survives the death of the process, being in the kernel's page cache, but not a
 * crash of the machine, after which the file may lack its last commits or, writes reaching the
 * disk out of order, be corrupt. So an open database carries this mark, naming the boot it was
 * opened in, and a close clears it only after a sync. A mark from an earlier boot means the
 * machine went down with commits not forced: the file must not be trusted.
 */
final class UnsyncedMark {
    static final String FILE = "unsynced";
    /** Linux's id of the current boot; elsewhere every mark left behind is taken as from another boot. */
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private UnsyncedMark() {
    }

    /** Whether the database in {@code dir} holds every commit it acknowledged, as far as anyone can tell. */
    static boolean trusted(Path dir) throws IOException {
        Path mark = dir.resolve(FILE);
        if (!Files.exists(mark)) {
            return true; // closed after a sync, or never opened
        }
        String boot = currentBoot();
        return !boot.isEmpty() && boot.equals(Files.readString(mark, StandardCharsets.US_ASCII).strip());
    }

    /** Marks the database in {@code dir} as open; on disk before the first commit that is not forced. */
    static void set(Path dir, FileSync sync) throws IOException {
        Path mark = dir.resolve(FILE);
        Files.writeString(mark, currentBoot(), StandardCharsets.US_ASCII);
        sync.force(mark);
        sync.force(dir);
    }

    /** Clears the mark once everything committed is on disk. */
    static void clear(Path dir, FileSync sync) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
        sync.force(dir);
    }

    private static String currentBoot() throws IOException {
        return Files.isReadable(BOOT_ID) ? Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip() : "";
    }
}
