package io.cairn.server.storage.mvcc;

import io.cairn.server.storage.Backend;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes compacted history from the database off the apply thread, as etcd does: the
 * compaction itself (the revision and the index) is applied at once; the records it leaves
 * behind go here, in write transactions of at most {@link #BATCH} deletions, each taken between
 * two raft batches under the store's write gate. Until it is done, the database holds some
 * records below the compaction revision that nothing reads; a restart resumes the work.
 *
 * <p>A newer compaction replaces an unfinished one: its keep set was computed from the index
 * the older one had already compacted, so it deletes everything the older one would have.
 */
final class Compactor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    static final int BATCH = 1000;
    /** Records looked at per transaction, kept or not, so a walk over kept history stays short too. */
    static final int VISITS = 20 * BATCH;

    /** The work of one compaction; a newer one, or a cancel, makes its generation stale. */
    private record Job(long revision, Set<Revision> keep, long generation) {
    }

    private final Backend backend;
    private final ReentrantLock writeGate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private Job pending;
    private long generation;
    private boolean busy;
    private volatile boolean closed;
    private long batches;

    Compactor(Backend backend, ReentrantLock writeGate) {
        this.backend = backend;
        this.writeGate = writeGate;
        this.thread = new Thread(this::run, "cairn-compactor");
        thread.setDaemon(true);
        thread.start();
    }

    /** Deletes every record below {@code revision} that is not in {@code keep}. */
    void schedule(long revision, Set<Revision> keep) {
        lock.lock();
        try {
            pending = new Job(revision, keep, ++generation);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets unfinished work (the database it was for is being replaced). */
    void cancel() {
        lock.lock();
        try {
            pending = null;
            generation++; // a job under way stops at its next batch
        } finally {
            lock.unlock();
        }
    }

    private boolean current(Job job) {
        lock.lock();
        try {
            return job.generation() == generation;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no work is left; false if {@code timeoutMs} passed first. */
    boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (pending != null || busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Write transactions committed so far, for tests. */
    long batches() {
        lock.lock();
        try {
            return batches;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Job job = null;
        Revision from = null;
        while (true) {
            lock.lock();
            try {
                if (job == null || pending != null) {
                    busy = false;
                    changed.signalAll();
                    while (pending == null && !closed) {
                        changed.awaitUninterruptibly();
                    }
                    if (closed) {
                        return;
                    }
                    job = pending;
                    pending = null;
                    from = new Revision(0, 0);
                    busy = true;
                }
            } finally {
                lock.unlock();
            }
            try {
                from = deleteBatch(job, from);
            } catch (RuntimeException e) {
                log.warn("Deleting compacted history failed; it resumes at the next start or compaction: {}", e.toString());
                from = null;
            }
            if (from == null) {
                job = null;
            }
        }
    }

    /** Deletes up to {@link #BATCH} records from {@code from} on; returns where to go on, or null when done. */
    private Revision deleteBatch(Job job, Revision from) {
        writeGate.lock();
        try {
            if (closed || !backend.isOpen() || !current(job)) {
                return null; // the database was replaced or closed since the job was scheduled
            }
            Revision next = null;
            int deleted = 0;
            int visited = 0;
            ByteBuffer start = ByteBuffer.allocateDirect(Revision.BYTES);
            from.writeTo(start);
            try (Txn<ByteBuffer> txn = backend.writeTxn()) {
                try (Cursor<ByteBuffer> cursor = backend.revisions().openCursor(txn)) {
                    for (boolean more = cursor.get(start, GetOp.MDB_SET_RANGE); more; ) {
                        Revision at = Revision.readFrom(cursor.key());
                        if (at.main() >= job.revision()) {
                            break;
                        }
                        if (deleted == BATCH || visited == VISITS) {
                            next = at;
                            break;
                        }
                        visited++;
                        if (!job.keep().contains(at)) {
                            cursor.delete(); // LMDB's next step after a delete lands on the following record
                            deleted++;
                        }
                        more = cursor.next();
                    }
                }
                backend.commit(txn);
            }
            lock.lock();
            try {
                batches++;
            } finally {
                lock.unlock();
            }
            return next;
        } finally {
            writeGate.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            pending = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
