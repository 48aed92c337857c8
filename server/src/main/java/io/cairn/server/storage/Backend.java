package io.cairn.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LMDB environment of one node. Reads may run on any thread (each in its own read
 * transaction); writes run on the apply thread only, one write transaction per raft batch.
 * {@link #replaceWith} swaps in another database file (an installed raft snapshot); callers
 * that hold transactions across calls must keep it out while they do (the keyspace's lock).
 *
 * <p>Commits are not forced to disk: the raft log is the durable record (docs/durability.md).
 * A database left open when the machine went down is set aside at the next open, and the member
 * rebuilds it from raft's snapshot and log.
 */
public final class Backend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Backend.class);
    /**
     * Room in the memory map above twice the quota. Pages freed while a long reader (a snapshot
     * copy, a slow range) holds its snapshot cannot be reused until it ends, so the file grows
     * past the data in use; the map leaves room for that, and for the deletes and compaction
     * that must still fit once the quota is reached. Only address space: the file grows as used.
     */
    private static final long MAP_HEADROOM = 1L << 30;
    /** LMDB's name for its database file inside the environment's directory. */
    public static final String DATA_FILE = "data.mdb";
    /** Where an untrusted database file is kept for a look, replacing an earlier one. */
    static final String UNTRUSTED_FILE = "data.mdb.untrusted";

    private final Path dir;
    private final long mapSize;
    private final FileSync sync;
    /** Held shared by every use of the environment, exclusively to swap it. */
    private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    private Env<ByteBuffer> env;
    private final Map<String, Dbi<ByteBuffer>> tables = new HashMap<>();
    private long pageSize;
    /** {@link #sizeInUseBytes()} as of the last commit, for checks on the request path. */
    private volatile long committedSizeInUse;
    /** {@link #sizeBytes()} as of the last commit. */
    private volatile long committedSize;

    private Backend(Path dir, long mapSize, FileSync sync) {
        this.dir = dir;
        this.mapSize = mapSize;
        this.sync = sync;
        openEnv();
    }

    /**
     * Opens (creating if needed) the environment in {@code dir}.
     *
     * @param quotaBytes the backend quota; the memory map is sized a little above it
     */
    public static Backend open(Path dir, long quotaBytes) throws IOException {
        return open(dir, quotaBytes, FileSync.DISK);
    }

    /** As {@link #open(Path, long)}, forcing the files it swaps in through {@code sync}. */
    public static Backend open(Path dir, long quotaBytes, FileSync sync) throws IOException {
        Files.createDirectories(dir);
        if (!UnsyncedMark.trusted(dir)) {
            setAside(dir, sync);
        }
        UnsyncedMark.set(dir, sync);
        return new Backend(dir, 2 * quotaBytes + MAP_HEADROOM, sync);
    }

    /** Puts the database aside: the member starts again from nothing, raft's snapshot and log. */
    private static void setAside(Path dir, FileSync sync) throws IOException {
        Path data = dir.resolve(DATA_FILE);
        if (Files.exists(data)) {
            Files.move(data, dir.resolve(UNTRUSTED_FILE), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.deleteIfExists(dir.resolve("lock.mdb"));
        sync.force(dir);
        log.warn("The database in {} was open, with commits not yet forced to disk, when the machine went down: "
                + "it is kept as {} and rebuilt from the raft snapshot and log", dir, UNTRUSTED_FILE);
    }

    private void openEnv() {
        env = Env.create()
                .setMapSize(mapSize)
                .setMaxDbs(8)
                .setMaxReaders(1024)
                // NOTLS: read transactions are tied to the request, not the (pooled) thread.
                // NOSYNC: commits are not forced; the raft log is the durable record, and a file
                // open when the machine went down is not trusted (UnsyncedMark).
                .open(dir.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC);
        tables.clear();
        for (String table : Schema.TABLES) {
            tables.put(table, env.openDbi(table, DbiFlags.MDB_CREATE));
        }
        pageSize = env.stat().pageSize;
        committedSizeInUse = sizeInUseBytes();
        committedSize = sizeBytes();
    }

    public Path dir() {
        return dir;
    }

    public Txn<ByteBuffer> readTxn() {
        return env.txnRead();
    }

    public Txn<ByteBuffer> writeTxn() {
        return env.txnWrite();
    }

    public Dbi<ByteBuffer> revisions() {
        return tables.get(Schema.REVISIONS);
    }

    /** Bytes of the database file: the high-water mark of LMDB's pages. It never shrinks. */
    public long sizeBytes() {
        swap.readLock().lock();
        try {
            return (env.info().lastPageNumber + 1) * pageSize;
        } finally {
            swap.readLock().unlock();
        }
    }

    /**
     * Bytes of pages holding data. Pages that deletes and compaction free are reused by LMDB,
     * so this, not the file size, is what the quota measures.
     */
    public long sizeInUseBytes() {
        swap.readLock().lock();
        try (Txn<ByteBuffer> txn = readTxn()) {
            long pages = pages(env.stat());
            for (Dbi<ByteBuffer> table : tables.values()) {
                pages += pages(table.stat(txn));
            }
            return pages * pageSize;
        } finally {
            swap.readLock().unlock();
        }
    }

    /** The size of the memory map: the database file can never grow past it. */
    public long mapBytes() {
        return mapSize;
    }

    /** {@link #sizeBytes()} as of the last commit; cheap enough to ask on every request. */
    public long committedSizeBytes() {
        return committedSize;
    }

    /** The size in use as of the last commit; cheap enough to ask on every request. */
    public long committedSizeInUseBytes() {
        return committedSizeInUse;
    }

    /** Commits {@code txn} and records the size in use it leaves. */
    public void commit(Txn<ByteBuffer> txn) {
        txn.commit();
        committedSizeInUse = sizeInUseBytes();
        committedSize = sizeBytes();
    }

    private static long pages(org.lmdbjava.Stat stat) {
        return stat.branchPages + stat.leafPages + stat.overflowPages;
    }

    public OptionalLong getMeta(Txn<ByteBuffer> txn, Schema.Meta key) {
        ByteBuffer value = tables.get(Schema.META).get(txn, direct(key.key()));
        return value == null ? OptionalLong.empty() : OptionalLong.of(value.getLong(0));
    }

    /** A meta value as of the last commit. */
    public OptionalLong readMeta(Schema.Meta key) {
        swap.readLock().lock();
        try (Txn<ByteBuffer> txn = readTxn()) {
            return getMeta(txn, key);
        } finally {
            swap.readLock().unlock();
        }
    }

    public void putMeta(Txn<ByteBuffer> txn, Schema.Meta key, long value) {
        ByteBuffer v = ByteBuffer.allocateDirect(Long.BYTES).putLong(0, value);
        tables.get(Schema.META).put(txn, direct(key.key()), v);
    }

    /** Writes {@code key} = {@code value} in a small table of {@link Schema}. */
    public void put(Txn<ByteBuffer> txn, String table, byte[] key, byte[] value) {
        tables.get(table).put(txn, direct(key), direct(value));
    }

    public void deleteMeta(Txn<ByteBuffer> txn, Schema.Meta key) {
        tables.get(Schema.META).delete(txn, direct(key.key()));
    }

    /** The value of {@code key} in a small table of {@link Schema}, or null. */
    public byte[] get(Txn<ByteBuffer> txn, String table, byte[] key) {
        ByteBuffer value = tables.get(table).get(txn, direct(key));
        return value == null ? null : bytes(value);
    }

    public void delete(Txn<ByteBuffer> txn, String table, byte[] key) {
        tables.get(table).delete(txn, direct(key));
    }

    /** Every entry of a small table of {@link Schema}, in key order. */
    public List<Map.Entry<byte[], byte[]>> scan(String table) {
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        swap.readLock().lock();
        try (Txn<ByteBuffer> txn = readTxn(); Cursor<ByteBuffer> cursor = tables.get(table).openCursor(txn)) {
            for (boolean more = cursor.first(); more; more = cursor.next()) {
                entries.add(Map.entry(bytes(cursor.key()), bytes(cursor.val())));
            }
        } finally {
            swap.readLock().unlock();
        }
        return entries;
    }

    /**
     * Writes a consistent, compacted copy of the database as {@code DATA_FILE} into the empty
     * directory {@code target}. Runs beside writes: LMDB copies from one read transaction.
     */
    public void copyTo(Path target) throws IOException {
        Files.createDirectories(target);
        swap.readLock().lock();
        try {
            env.copy(target.toFile(), CopyFlags.MDB_CP_COMPACT);
        } finally {
            swap.readLock().unlock();
        }
    }

    /**
     * Replaces the database with the file {@code source} (a copy made by {@link #copyTo}), and
     * returns once the replacement is on disk. Apply thread only, with no transaction open anywhere.
     */
    public void replaceWith(Path source) throws IOException {
        swap.writeLock().lock();
        try {
            env.close();
            Path staged = dir.resolve(DATA_FILE + ".installing");
            Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
            // contents before the rename, so a crash never leaves a name on a partly written
            // file; the directory after it, so the rename itself survives
            sync.force(staged);
            Files.move(staged, dir.resolve(DATA_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            sync.force(dir);
            Files.deleteIfExists(dir.resolve("lock.mdb"));
            openEnv();
        } finally {
            swap.writeLock().unlock();
        }
    }

    /** A hash of every table's contents (etcd's Hash; differs between members by their meta). */
    public int hash() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        swap.readLock().lock();
        try (Txn<ByteBuffer> txn = readTxn()) {
            for (String table : Schema.TABLES) {
                crc.update(table.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                try (Cursor<ByteBuffer> cursor = tables.get(table).openCursor(txn)) {
                    for (boolean more = cursor.first(); more; more = cursor.next()) {
                        crc.update(cursor.key().duplicate());
                        crc.update(cursor.val().duplicate());
                    }
                }
            }
        } finally {
            swap.readLock().unlock();
        }
        return (int) crc.getValue();
    }

    /**
     * For a restored snapshot, before its member starts: keeps the keyspace and drops what
     * belonged to the old cluster — membership and alarms; its raft position becomes {@code appliedIndex}.
     */
    public void resetForRestore(long appliedIndex) {
        try (Txn<ByteBuffer> txn = writeTxn()) {
            putMeta(txn, Schema.Meta.APPLIED_INDEX, appliedIndex);
            tables.get(Schema.META).delete(txn, direct(Schema.Meta.CLUSTER_ID.key()));
            tables.get(Schema.MEMBERS).drop(txn);
            tables.get(Schema.ALARMS).drop(txn);
            txn.commit();
        }
    }

    public boolean isOpen() {
        return !env.isClosed();
    }

    /**
     * Forces everything committed to disk, then closes; the database is trusted at its next
     * open only if this completes.
     */
    @Override
    public void close() {
        if (env.isClosed()) {
            return;
        }
        env.sync(true);
        env.close();
        try {
            UnsyncedMark.clear(dir, sync);
        } catch (IOException e) {
            log.warn("Could not clear the mark of unsynced commits in {}: {}", dir, e.toString());
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
