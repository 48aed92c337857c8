package io.cairn.server.storage.mvcc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Lock;
import org.lmdbjava.Txn;

/**
 * A read of the published keyspace. Holds compaction off while open, so close it promptly and
 * on the thread that opened it.
 */
public final class TxnRead implements ReadView, AutoCloseable {
    private final MvccStore store;
    private final Txn<ByteBuffer> txn;
    private final long revision;
    private final Lock compactionGuard;

    TxnRead(MvccStore store, Txn<ByteBuffer> txn, long revision, Lock compactionGuard) {
        this.store = store;
        this.txn = txn;
        this.revision = revision;
        this.compactionGuard = compactionGuard;
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public long compactedRevision() {
        return store.compactedRevision();
    }

    @Override
    public RangeResult range(ByteString key, ByteString end, RangeOptions options) {
        return store.rangeKeys(txn, key, end, revision, options);
    }

    @Override
    public void close() {
        try {
            txn.close();
        } finally {
            compactionGuard.unlock();
        }
    }
}
