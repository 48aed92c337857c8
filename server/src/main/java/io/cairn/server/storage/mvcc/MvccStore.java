package io.cairn.server.storage.mvcc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcd.KeyValue;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.lmdbjava.Cursor;
import org.lmdbjava.Txn;

/**
 * The keyspace: etcd's MVCC semantics over the LMDB backend. A fresh store is at revision 1,
 * so the first write is revision 2, as in etcd.
 *
 * <p>Threading: writes come from the apply thread only, through {@link #beginBatch()}. Reads
 * ({@link #read()}) run on any thread and see the last committed batch. The revision is
 * published only after the batch's LMDB commit, so a read never finds an index entry whose
 * record its LMDB snapshot lacks. Compaction, the one change that removes index entries, does
 * not wait for reads: it raises the compacted revision first, and a read that may have missed
 * an entry finds the revision raised when it checks again at its end, and answers
 * {@code COMPACTED}. The records compaction leaves go in the background ({@link Compactor}).
 */
public final class MvccStore {
    private final Backend backend;
    private volatile TreeIndex index = new TreeIndex();
    /** Held by reads; taken for writing to swap the database file under them. */
    private final ReentrantReadWriteLock compactionLock = new ReentrantReadWriteLock();
    /**
     * Held by each write batch from begin to close and by each batch of the compactor's
     * deletions; defragmentation and installs hold it to pause writes. Fair, so the compactor's
     * batches and raft's take turns.
     */
    private final java.util.concurrent.locks.ReentrantLock writeGate = new java.util.concurrent.locks.ReentrantLock(true);
    private final Compactor compactor;
    private final ThreadLocal<ByteBuffer> revisionKeys =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(Revision.BYTES));

    private volatile long currentRevision = 1;
    private volatile long compactedRevision = -1;
    /** Why this store can no longer be read from, once a batch failed after changing the index. */
    private volatile String distrusted;
    /** A compaction applied in the batch being applied, not yet committed (-1: none). Apply thread only. */
    private long stagedCompaction = -1;
    /** The revision of the last applied write, committed or not. Apply thread only. */
    private long pendingRevision = 1;
    /** The events of the batch being applied, in revision order. Apply thread only. */
    private final List<io.cairn.api.etcd.Event> batchEvents = new ArrayList<>();

    private MvccStore(Backend backend) {
        this.backend = backend;
        this.compactor = new Compactor(backend, writeGate);
    }

    /** Opens the keyspace of {@code backend}, rebuilding the key index from its revisions. */
    public static MvccStore open(Backend backend) {
        MvccStore store = new MvccStore(backend);
        try {
            store.restore();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Replaces the whole keyspace with the database file {@code source} (an installed raft
     * snapshot), once every open read has closed. Apply thread only.
     */
    public void install(java.nio.file.Path source) throws java.io.IOException {
        writeGate.lock();
        compactionLock.writeLock().lock();
        try {
            compactor.cancel();
            backend.replaceWith(source);
            index = new TreeIndex();
            restore();
        } finally {
            compactionLock.writeLock().unlock();
            writeGate.unlock();
        }
    }

    private void restore() {
        try (Txn<ByteBuffer> txn = backend.readTxn();
             Cursor<ByteBuffer> cursor = backend.revisions().openCursor(txn)) {
            for (boolean more = cursor.first(); more; more = cursor.next()) {
                Revision rev = Revision.readFrom(cursor.key());
                ByteBuffer value = cursor.val();
                KeyValue kv = decode(value);
                if (value.get(0) == Schema.RECORD_TOMBSTONE) {
                    if (index.get(kv.getKey(), rev.main()) != null) {
                        index.tombstone(kv.getKey(), rev);
                    }
                } else {
                    index.put(kv.getKey(), rev);
                }
            }
            currentRevision = backend.getMeta(txn, Schema.Meta.CURRENT_REVISION).orElse(1);
            compactedRevision = backend.getMeta(txn, Schema.Meta.COMPACTED_REVISION).orElse(-1);
            pendingRevision = currentRevision;
        }
        if (compactedRevision > 0) {
            // records a compaction had not deleted yet when the member stopped: finish the job
            compactor.schedule(compactedRevision, index.compact(compactedRevision));
        }
    }

    /** Stops the background work. The backend is closed by its owner, after this. */
    public void close() {
        compactor.close();
    }

    /** Waits until compacted history is deleted from the database; false on timeout. For tests and hashes. */
    public boolean awaitCompaction(long timeoutMs) throws InterruptedException {
        return compactor.awaitIdle(timeoutMs);
    }

    /** Write transactions the background compaction has committed, for tests. */
    long compactionBatches() {
        return compactor.batches();
    }

    /** The revision of the last committed write. */
    public long currentRevision() {
        return currentRevision;
    }

    public long compactedRevision() {
        return compactedRevision;
    }

    /** Number of keys with any revision in the index (live or not yet compacted away). */
    public int indexedKeys() {
        return index.size();
    }

    public Backend backend() {
        return backend;
    }

    /**
     * Stops every read from now on: the index may hold changes of a batch that never reached
     * the database, and a member must never serve state its database does not hold. A restart
     * rebuilds the index from the database and replays the log.
     */
    public void distrust(String why) {
        distrusted = why;
    }

    private void requireTrusted() {
        if (distrusted != null) {
            throw ServerError.STOPPED.exception();
        }
    }

    /** A read of the last committed state. Close it on the thread that opened it. */
    public TxnRead read() {
        requireTrusted();
        ReentrantReadWriteLock.ReadLock guard = compactionLock.readLock();
        guard.lock();
        try {
            long rev = currentRevision; // read before the snapshot opens: the snapshot has it
            return new TxnRead(this, backend.readTxn(), rev, guard);
        } catch (RuntimeException e) {
            guard.unlock();
            throw e;
        }
    }

    /** Every live key-value at the current revision, in key order (for rebuilding derived state). */
    public List<KeyValue> liveKeyValues() {
        try (TxnRead view = read()) {
            return view.range(ByteString.copyFrom(new byte[] {0}), ByteString.EMPTY, RangeOptions.LATEST).kvs();
        }
    }

    /** Starts the write batch of one raft batch. Apply thread only. */
    public WriteBatch beginBatch() {
        writeGate.lock();
        try {
            return new WriteBatch(this, backend.writeTxn());
        } catch (RuntimeException e) {
            writeGate.unlock();
            throw e;
        }
    }

    void endBatch() {
        writeGate.unlock();
    }

    /** A hash of the history up to a revision, as members compare them (etcd's HashKV). */
    public record KvHash(int hash, long compactRevision, long revision) {
    }

    /**
     * Hashes every revision record up to {@code rev} (0 for the current revision): the same
     * history gives the same hash on every member.
     */
    public KvHash hashKv(long rev) {
        requireTrusted();
        // writes pause while hashing, so the index and the records hold still; records below
        // the compaction that the compactor has not deleted yet (members differ in how far it
        // got) count only if the index still holds them, so every member hashes the same
        writeGate.lock();
        compactionLock.readLock().lock();
        try (Txn<ByteBuffer> txn = backend.readTxn(); Cursor<ByteBuffer> cursor = backend.revisions().openCursor(txn)) {
            long current = currentRevision;
            if (rev > current) {
                throw ServerError.FUTURE_REV.exception();
            }
            long at = rev <= 0 ? current : rev;
            if (at < compactedRevision) {
                throw ServerError.COMPACTED.exception();
            }
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            for (boolean more = cursor.first(); more; more = cursor.next()) {
                Revision record = Revision.readFrom(cursor.key());
                if (record.main() > at) {
                    break;
                }
                if (record.main() < compactedRevision && !index.holds(decode(cursor.val()).getKey(), record)) {
                    continue;
                }
                crc.update(cursor.key().duplicate());
                crc.update(cursor.val().duplicate());
            }
            return new KvHash((int) crc.getValue(), compactedRevision, at);
        } finally {
            compactionLock.readLock().unlock();
            writeGate.unlock();
        }
    }

    /**
     * Rewrites the database compactly and returns the freed space to the file system. Writes
     * and reads pause meanwhile, as in etcd.
     */
    public void defragment(java.nio.file.Path scratch) throws java.io.IOException {
        writeGate.lock();
        compactionLock.writeLock().lock();
        try {
            backend.copyTo(scratch);
            backend.replaceWith(scratch.resolve(Backend.DATA_FILE));
        } finally {
            compactionLock.writeLock().unlock();
            writeGate.unlock();
        }
    }

    TreeIndex index() {
        return index;
    }

    long pendingRevision() {
        return pendingRevision;
    }

    void advance(long revision) {
        pendingRevision = revision;
    }

    void recordEvents(List<io.cairn.api.etcd.Event> events) {
        batchEvents.addAll(events);
    }

    /**
     * Publishes the committed batch; returns its events and forgets them. A compaction the batch
     * applied takes effect here, after the commit, so that no read ever sees it before its
     * revision is published, nor the compactor delete for a compaction that never committed.
     */
    List<io.cairn.api.etcd.Event> publish() {
        currentRevision = pendingRevision;
        if (stagedCompaction > compactedRevision) {
            long rev = stagedCompaction;
            compactedRevision = rev; // first, so that a read the index change overtakes notices
            compactor.schedule(rev, index.compact(rev));
        }
        stagedCompaction = -1;
        List<io.cairn.api.etcd.Event> events = List.copyOf(batchEvents);
        batchEvents.clear();
        return events;
    }

    int pendingEvents() {
        return batchEvents.size();
    }

    /** Forgets the writes after {@code revision} and the events after the first {@code events}. */
    void resetPending(long revision, int events) {
        pendingRevision = revision;
        batchEvents.subList(events, batchEvents.size()).clear();
    }

    /** Drops the events and compaction of a batch that will not commit. */
    void discardEvents() {
        stagedCompaction = -1;
        batchEvents.clear();
    }

    /**
     * The events of revisions {@code from} to {@code to} (inclusive) in order, with each
     * event's previous key-value when {@code prevKv}; at most about {@code limit} events, whole
     * revisions only.
     *
     * @throws io.cairn.server.errors.ServerException {@code COMPACTED} when {@code from} is below
     *         the compaction (checked under the compaction lock, so the answer is never partial)
     */
    public List<io.cairn.api.etcd.Event> history(long from, long to, boolean prevKv, int limit) {
        requireTrusted();
        List<io.cairn.api.etcd.Event> events = new ArrayList<>();
        compactionLock.readLock().lock();
        if (from < compactedRevision) {
            compactionLock.readLock().unlock();
            throw ServerError.COMPACTED.exception();
        }
        try (Txn<ByteBuffer> txn = backend.readTxn(); Cursor<ByteBuffer> cursor = backend.revisions().openCursor(txn)) {
            ByteBuffer start = revisionKeys.get();
            new Revision(from, 0).writeTo(start);
            long lastMain = -1;
            for (boolean more = cursor.get(start, org.lmdbjava.GetOp.MDB_SET_RANGE); more; more = cursor.next()) {
                Revision at = Revision.readFrom(cursor.key());
                if (at.main() > to || (events.size() >= limit && at.main() != lastMain)) {
                    break;
                }
                lastMain = at.main();
                ByteBuffer value = cursor.val();
                KeyValue kv = decode(value);
                boolean tombstone = value.get(0) == Schema.RECORD_TOMBSTONE;
                io.cairn.api.etcd.Event.Builder e = io.cairn.api.etcd.Event.newBuilder()
                        .setType(tombstone ? io.cairn.api.etcd.Event.EventType.DELETE : io.cairn.api.etcd.Event.EventType.PUT)
                        .setKv(kv);
                boolean creates = !tombstone && kv.getVersion() == 1;
                if (prevKv && !creates && at.main() - 1 >= compactedRevision) {
                    // as etcd: the key read at the revision before, unless that one is compacted;
                    // a put that creates the key has none, even if its txn deleted it first
                    Revision prev = index.get(kv.getKey(), at.main() - 1);
                    if (prev != null) {
                        e.setPrevKv(readRecord(txn, prev));
                    }
                }
                events.add(e.build());
            }
        } finally {
            compactionLock.readLock().unlock();
        }
        if (from < compactedRevision) {
            throw ServerError.COMPACTED.exception(); // a compaction overtook the read
        }
        return events;
    }

    RangeResult rangeKeys(Txn<ByteBuffer> txn, ByteString key, ByteString end, long current,
                          RangeOptions options) {
        long rev = options.revision();
        if (rev > current) {
            throw ServerError.FUTURE_REV.exception();
        }
        if (rev <= 0) {
            rev = current;
        }
        if (rev < compactedRevision) {
            throw ServerError.COMPACTED.exception();
        }
        List<TreeIndex.Hit> hits = index.range(key, end, rev);
        if (options.countOnly() || hits.isEmpty()) {
            return new RangeResult(List.of(), hits.size(), current);
        }
        int limit = options.limit() <= 0 || options.limit() > hits.size()
                ? hits.size() : (int) options.limit();
        List<KeyValue> kvs = new ArrayList<>(limit);
        try {
            for (int i = 0; i < limit; i++) {
                kvs.add(readRecord(txn, hits.get(i).revision()));
            }
        } catch (IllegalStateException missing) {
            if (rev < compactedRevision) {
                throw ServerError.COMPACTED.exception();
            }
            throw missing;
        }
        if (rev < compactedRevision) {
            throw ServerError.COMPACTED.exception(); // a compaction overtook the read
        }
        return new RangeResult(kvs, hits.size(), current);
    }

    /**
     * Compacts at {@code rev}: every key keeps only its newest revision at or below it (none if
     * that is a deletion) and everything after; the rest leaves the index and the database.
     */
    /**
     * Compacts at {@code rev} when the batch commits: every key keeps only its newest revision
     * at or below it (none if that is a deletion) and everything after; the rest leaves the
     * index then, and the database in the background. The records of the compaction revision
     * itself stay: etcd drops a tombstone written exactly there, and a watcher starting at that
     * revision, which is allowed, would silently miss the delete. Reads never see it; the next
     * compaction takes it. Returns the compaction staged before, to restore if undone.
     */
    long stageCompaction(long rev) {
        if (rev <= applyCompactedRevision()) {
            throw ServerError.COMPACTED.exception();
        }
        if (rev > pendingRevision) {
            throw ServerError.FUTURE_REV.exception();
        }
        long before = stagedCompaction;
        stagedCompaction = rev;
        return before;
    }

    void unstageCompaction(long before) {
        stagedCompaction = before;
    }

    /** The compacted revision as the batch being applied sees it. Apply thread only. */
    long applyCompactedRevision() {
        return Math.max(compactedRevision, stagedCompaction);
    }

    KeyValue readRecord(Txn<ByteBuffer> txn, Revision rev) {
        ByteBuffer key = revisionKeys.get();
        rev.writeTo(key);
        ByteBuffer value = backend.revisions().get(txn, key);
        if (value == null) {
            throw new IllegalStateException("index points at a missing revision " + rev);
        }
        return decode(value);
    }

    void deleteRecord(Txn<ByteBuffer> txn, Revision rev) {
        ByteBuffer key = revisionKeys.get();
        rev.writeTo(key);
        backend.revisions().delete(txn, key);
    }

    void writeRecord(Txn<ByteBuffer> txn, Revision rev, boolean tombstone, KeyValue kv) {
        ByteBuffer key = revisionKeys.get();
        rev.writeTo(key);
        ByteBuffer value = backend.revisions().reserve(txn, key, 1 + kv.getSerializedSize());
        value.put(0, tombstone ? Schema.RECORD_TOMBSTONE : Schema.RECORD_PUT).position(1);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(value);
            kv.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyValue decode(ByteBuffer record) {
        try {
            return KeyValue.parseFrom(record.duplicate().position(1));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt revision record", e);
        }
    }
}
