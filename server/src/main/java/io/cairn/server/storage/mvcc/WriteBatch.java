package io.cairn.server.storage.mvcc;

import io.cairn.server.storage.Schema;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import org.lmdbjava.Txn;

/**
 * The writes of one raft batch: one LMDB write transaction holding the batch's changes and the
 * raft index they reflect, committed at once. Each command runs {@link #atomically}: a command
 * that fails is undone, record by record, and the batch goes on without it. If the batch
 * itself fails before {@link #commit}, the in-memory index no longer matches the database and
 * the node must stop; replay after restart repairs it.
 */
public final class WriteBatch implements AutoCloseable {
    private final MvccStore store;
    private final Txn<ByteBuffer> txn;
    /** How to take back each change of the current command, newest first. */
    private final ArrayDeque<Runnable> undo = new ArrayDeque<>();
    private boolean committed;
    private long entryIndex;

    /** Undoing a failed command failed: the batch can no longer be trusted. */
    public static final class RollbackFailed extends RuntimeException {
        RollbackFailed(Throwable cause) {
            super("undoing a failed command failed", cause);
        }
    }

    WriteBatch(MvccStore store, Txn<ByteBuffer> txn) {
        this.store = store;
        this.txn = txn;
    }

    /**
     * Runs one command's changes so that they all happen or none does: if {@code body} throws,
     * every change it made through this batch (revision records, index entries, small-table
     * entries, the revision and the events, and whatever it registered with
     * {@link #onRollback}) is undone, newest first, before the exception propagates.
     *
     * @throws RollbackFailed if undoing failed; the batch must then be abandoned
     */
    public <T> T atomically(Supplier<T> body) {
        undo.clear();
        long revision = store.pendingRevision();
        int events = store.pendingEvents();
        try {
            return body.get();
        } catch (RuntimeException e) {
            try {
                while (!undo.isEmpty()) {
                    undo.pop().run();
                }
                store.resetPending(revision, events);
            } catch (RuntimeException rollback) {
                rollback.addSuppressed(e);
                throw new RollbackFailed(rollback);
            }
            throw e;
        } finally {
            undo.clear();
        }
    }

    /** Registers how to take back an in-memory change if the current command fails. */
    public void onRollback(Runnable inverse) {
        undo.push(inverse);
    }

    /** Starts the next write transaction of the keyspace; {@link TxnWrite#end()} it before the next. */
    public TxnWrite write() {
        return new TxnWrite(store, this, txn, store.pendingRevision());
    }

    /** Compacts the keyspace at {@code revision} (see {@link MvccStore}). */
    public void compact(long revision) {
        long before = store.stageCompaction(revision);
        onRollback(() -> store.unstageCompaction(before));
        putMeta(Schema.Meta.COMPACTED_REVISION, revision);
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
        java.util.OptionalLong before = store.backend().getMeta(txn, key);
        store.backend().putMeta(txn, key, value);
        onRollback(() -> {
            if (before.isPresent()) {
                store.backend().putMeta(txn, key, before.getAsLong());
            } else {
                store.backend().deleteMeta(txn, key);
            }
        });
    }

    /** Writes an entry of a small table of {@link Schema} in this batch. */
    public void put(String table, byte[] key, byte[] value) {
        byte[] before = store.backend().get(txn, table, key);
        store.backend().put(txn, table, key, value);
        onRollback(() -> restore(table, key, before));
    }

    public void delete(String table, byte[] key) {
        byte[] before = store.backend().get(txn, table, key);
        store.backend().delete(txn, table, key);
        onRollback(() -> restore(table, key, before));
    }

    private void restore(String table, byte[] key, byte[] before) {
        if (before == null) {
            store.backend().delete(txn, table, key);
        } else {
            store.backend().put(txn, table, key, before);
        }
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
