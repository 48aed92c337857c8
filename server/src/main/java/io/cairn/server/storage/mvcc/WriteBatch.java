package io.cairn.server.storage.mvcc;

import io.cairn.server.storage.Schema;
import java.nio.ByteBuffer;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * The writes of one raft batch: one LMDB write transaction holding the batch's changes and the
 * raft index they reflect, committed at once. If anything fails before {@link #commit}, the
 * in-memory index no longer matches the database and the node must stop; replay after restart
 * repairs it.
 */
public final class WriteBatch implements AutoCloseable {
    private final MvccStore store;
    private final Txn<ByteBuffer> txn;
    private boolean committed;
    private long entryIndex;

    WriteBatch(MvccStore store, Txn<ByteBuffer> txn) {
        this.store = store;
        this.txn = txn;
    }

    /** Starts the next write transaction of the keyspace; {@link TxnWrite#end()} it before the next. */
    public TxnWrite write() {
        return new TxnWrite(store, txn, store.pendingRevision());
    }

    /** Compacts the keyspace at {@code revision} (see {@link MvccStore}). */
    public void compact(long revision) {
        store.compact(txn, revision);
    }

    /** Marks the start of the raft entry at {@code index}: the state machine calls it before applying each. */
    public void beginEntry(long index) {
        this.entryIndex = index;
    }

    /** The raft index of the entry being applied (0 when applied without raft, as in tests). */
    public long entryIndex() {
        return entryIndex;
    }

    /** The revision of the last write in this batch so far. */
    public long revision() {
        return store.pendingRevision();
    }

    public void putMeta(Schema.Meta key, long value) {
        store.backend().putMeta(txn, key, value);
    }

    /** Writes an entry of a small table of {@link Schema} in this batch. */
    public void put(String table, byte[] key, byte[] value) {
        store.backend().put(txn, table, key, value);
    }

    public void delete(String table, byte[] key) {
        store.backend().delete(txn, table, key);
    }

    /**
     * Commits the batch as reflecting the raft log up to {@code appliedIndex}, then publishes
     * it; returns the batch's events, in revision order, for the watchers.
     */
    public List<io.cairn.api.etcd.Event> commit(long appliedIndex) {
        store.backend().putMeta(txn, Schema.Meta.APPLIED_INDEX, appliedIndex);
        store.backend().putMeta(txn, Schema.Meta.CURRENT_REVISION, store.pendingRevision());
        store.backend().commit(txn);
        committed = true;
        return store.publish();
    }

    @Override
    public void close() {
        try {
            if (!committed) {
                store.discardEvents();
            }
            txn.close();
        } finally {
            store.endBatch();
        }
    }
}
