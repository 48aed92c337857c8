package io.cairn.server.storage.mvcc;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * One write transaction of the keyspace, as etcd's {@code TxnWrite}: all its changes share
 * the store revision {@code begin + 1}, each with its own sub-revision, and its reads see its
 * own earlier writes. It bumps the store revision only if it changed something. Apply thread
 * only.
 */
public final class TxnWrite implements ReadView {
    private final MvccStore store;
    private final WriteBatch batch;
    private final Txn<ByteBuffer> txn;
    private final long beginRevision;
    private final List<Event> changes = new ArrayList<>();

    TxnWrite(MvccStore store, WriteBatch batch, Txn<ByteBuffer> txn, long beginRevision) {
        this.store = store;
        this.batch = batch;
        this.txn = txn;
        this.beginRevision = beginRevision;
    }

    /** The revision its reads see: the begin revision, plus one once it has changed something. */
    @Override
    public long revision() {
        return changes.isEmpty() ? beginRevision : beginRevision + 1;
    }

    @Override
    public long compactedRevision() {
        return store.applyCompactedRevision();
    }

    @Override
    public RangeResult range(ByteString key, ByteString end, RangeOptions options) {
        return store.rangeKeys(txn, key, end, revision(), options);
    }

    /** Writes {@code key}; returns the revision it was written at. */
    public long put(ByteString key, ByteString value, long lease) {
        long rev = beginRevision + 1;
        Revision at = new Revision(rev, changes.size());
        Revision previous = store.index().get(key, rev);
        KeyValue.Builder kv = KeyValue.newBuilder()
                .setKey(key).setValue(value).setModRevision(rev).setLease(lease);
        KeyValue prev = previous == null ? null : store.readRecord(txn, previous);
        if (prev == null) {
            kv.setCreateRevision(rev).setVersion(1);
        } else {
            kv.setCreateRevision(prev.getCreateRevision()).setVersion(prev.getVersion() + 1);
        }
        KeyValue written = kv.build();
        store.writeRecord(txn, at, false, written);
        store.index().put(key, at);
        batch.onRollback(() -> {
            store.deleteRecord(txn, at);
            store.index().revert(key, at, false);
        });
        Event.Builder event = Event.newBuilder().setType(Event.EventType.PUT).setKv(written);
        if (prev != null) {
            // watchers asking for prev_kv get it without another read; a put that creates the
            // key has none, even if an earlier op of this txn deleted it (etcd skips creates)
            event.setPrevKv(prev);
        }
        changes.add(event.build());
        return rev;
    }

    /** Deletes the keys of a range (see {@link ReadView#range} for {@code end}); returns how many. */
    public long deleteRange(ByteString key, ByteString end) {
        List<TreeIndex.Hit> hits = store.index().range(key, end, revision());
        long rev = beginRevision + 1;
        for (TreeIndex.Hit hit : hits) {
            Revision at = new Revision(rev, changes.size());
            KeyValue prev = valueBefore(hit.key(), hit.revision(), null);
            KeyValue tombstone = KeyValue.newBuilder().setKey(hit.key()).setModRevision(rev).build();
            store.writeRecord(txn, at, true, tombstone);
            store.index().tombstone(hit.key(), at);
            batch.onRollback(() -> {
                store.deleteRecord(txn, at);
                store.index().revert(hit.key(), at, true);
            });
            Event.Builder event = Event.newBuilder().setType(Event.EventType.DELETE).setKv(tombstone);
            if (prev != null) {
                event.setPrevKv(prev);
            }
            changes.add(event.build());
        }
        return hits.size();
    }

    /**
     * An event's previous key-value, as etcd's watchers see it: the key as it was before this
     * transaction, even when an earlier op of it wrote the key. {@code latest} is the key's
     * newest revision now, and {@code latestValue} its record if already read (else null).
     */
    private KeyValue valueBefore(ByteString key, Revision latest, KeyValue latestValue) {
        Revision before = latest != null && latest.main() <= beginRevision ? latest : store.index().get(key, beginRevision);
        if (before == null) {
            return null;
        }
        return before == latest && latestValue != null ? latestValue : store.readRecord(txn, before);
    }

    /** The events of this transaction so far, in order. */
    public List<Event> changes() {
        return changes;
    }

    /** Ends the transaction: the store's revision moves on if anything changed. */
    public void end() {
        if (!changes.isEmpty()) {
            store.advance(beginRevision + 1);
            store.recordEvents(changes);
        }
    }
}
