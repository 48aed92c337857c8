package io.cairn.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * The LMDB environment of one node. Reads may run on any thread (each in its own read
 * transaction); writes run on the apply thread only, one write transaction per raft batch.
 */
public final class Backend implements AutoCloseable {
    /** Room above the quota so that deletes and compaction still fit when the quota is reached. */
    private static final long MAP_HEADROOM = 256L << 20;

    private final Env<ByteBuffer> env;
    private final Map<String, Dbi<ByteBuffer>> tables = new HashMap<>();
    private final Dbi<ByteBuffer> revisions;
    private final Dbi<ByteBuffer> meta;
    private final long pageSize;
    private final Path dir;
    /** {@link #sizeInUseBytes()} as of the last commit, for checks on the request path. */
    private volatile long committedSizeInUse;

    private Backend(Path dir, Env<ByteBuffer> env) {
        this.dir = dir;
        this.env = env;
        for (String table : Schema.TABLES) {
            tables.put(table, env.openDbi(table, DbiFlags.MDB_CREATE));
        }
        this.revisions = tables.get(Schema.REVISIONS);
        this.meta = tables.get(Schema.META);
        this.pageSize = env.stat().pageSize;
        this.committedSizeInUse = sizeInUseBytes();
    }

    /**
     * Opens (creating if needed) the environment in {@code dir}.
     *
     * @param quotaBytes the backend quota; the memory map is sized a little above it
     */
    public static Backend open(Path dir, long quotaBytes) throws IOException {
        Files.createDirectories(dir);
        Env<ByteBuffer> env = Env.create()
                .setMapSize(quotaBytes + Math.max(MAP_HEADROOM, quotaBytes / 4))
                .setMaxDbs(8)
                .setMaxReaders(1024)
                // NOTLS: read transactions are tied to the request, not the (pooled) thread.
                // NOMETASYNC: one fsync per commit; the raft log is the durable record, and
                // LMDB keeps its integrity without the meta-page sync.
                .open(dir.toFile(), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOMETASYNC);
        return new Backend(dir, env);
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
        return revisions;
    }

    /** Bytes of the database file: the high-water mark of LMDB's pages. It never shrinks. */
    public long sizeBytes() {
        return (env.info().lastPageNumber + 1) * pageSize;
    }

    /**
     * Bytes of pages holding data. Pages that deletes and compaction free are reused by LMDB,
     * so this, not the file size, is what the quota measures.
     */
    public long sizeInUseBytes() {
        long pages = pages(env.stat());
        try (Txn<ByteBuffer> txn = readTxn()) {
            for (Dbi<ByteBuffer> table : tables.values()) {
                pages += pages(table.stat(txn));
            }
        }
        return pages * pageSize;
    }

    /** The size in use as of the last commit; cheap enough to ask on every request. */
    public long committedSizeInUseBytes() {
        return committedSizeInUse;
    }

    /** Commits {@code txn} and records the size in use it leaves. */
    public void commit(Txn<ByteBuffer> txn) {
        txn.commit();
        committedSizeInUse = sizeInUseBytes();
    }

    private static long pages(org.lmdbjava.Stat stat) {
        return stat.branchPages + stat.leafPages + stat.overflowPages;
    }

    public OptionalLong getMeta(Txn<ByteBuffer> txn, Schema.Meta key) {
        ByteBuffer value = meta.get(txn, direct(key.key()));
        return value == null ? OptionalLong.empty() : OptionalLong.of(value.getLong(0));
    }

    /** A meta value as of the last commit. */
    public OptionalLong readMeta(Schema.Meta key) {
        try (Txn<ByteBuffer> txn = readTxn()) {
            return getMeta(txn, key);
        }
    }

    public void putMeta(Txn<ByteBuffer> txn, Schema.Meta key, long value) {
        ByteBuffer v = ByteBuffer.allocateDirect(Long.BYTES).putLong(0, value);
        meta.put(txn, direct(key.key()), v);
    }

    /** Writes {@code key} = {@code value} in a small table of {@link Schema}. */
    public void put(Txn<ByteBuffer> txn, String table, byte[] key, byte[] value) {
        tables.get(table).put(txn, direct(key), direct(value));
    }

    public void delete(Txn<ByteBuffer> txn, String table, byte[] key) {
        tables.get(table).delete(txn, direct(key));
    }

    /** Every entry of a small table of {@link Schema}, in key order. */
    public List<Map.Entry<byte[], byte[]>> scan(String table) {
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        try (Txn<ByteBuffer> txn = readTxn(); Cursor<ByteBuffer> cursor = tables.get(table).openCursor(txn)) {
            for (boolean more = cursor.first(); more; more = cursor.next()) {
                entries.add(Map.entry(bytes(cursor.key()), bytes(cursor.val())));
            }
        }
        return entries;
    }

    /** Flushes everything committed so far to disk. */
    public void sync() {
        env.sync(true);
    }

    @Override
    public void close() {
        env.close();
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
