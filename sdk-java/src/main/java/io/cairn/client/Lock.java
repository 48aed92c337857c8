package io.cairn.client;

import io.cairn.api.etcd.LockGrpc;
import io.cairn.api.etcd.LockRequest;
import io.cairn.api.etcd.UnlockRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Distributed locks, held through a lease: the hold ends with Unlock or when the lease ends.
 * Hold them through a {@link Session}, which keeps its lease alive and says when it is lost. A
 * hold's revision is a fencing token: a write guarded by {@link Held#guard()} goes through only
 * while the hold lasts, so a holder that was paused past its lease cannot overwrite the next
 * holder's work.
 */
public final class Lock {
    /** Waiting for a lock is not bounded by the client's call timeout unless asked. */
    private static final Duration FOREVER = Duration.ofDays(3650);

    private final Calls calls;
    private final Kv kv;

    Lock(Calls calls, Kv kv) {
        this.calls = calls;
        this.kv = kv;
    }

    /** A held lock: its key, and the key's create revision, which fences off older holders. */
    public record Held(Bytes key, long revision) {
        /** The condition that the lock is still held by this hold, for a txn. */
        public Cmp.Condition guard() {
            return Cmp.createRevision(key).eq(revision);
        }
    }

    /** Waits as long as it takes for the lock, held by the session's lease. */
    public CompletableFuture<Held> lock(String name, Session session) {
        return lock(name, session.leaseId(), FOREVER);
    }

    /** Waits as long as it takes. Locking again with the same lease is the same hold. */
    public CompletableFuture<Held> lock(String name, long leaseId) {
        return lock(name, leaseId, FOREVER);
    }

    /** Fails with DEADLINE_EXCEEDED when the lock is not had within {@code wait}. */
    public CompletableFuture<Held> lock(String name, long leaseId, Duration wait) {
        LockRequest request = LockRequest.newBuilder().setName(Keys.bytes(name)).setLease(leaseId).build();
        return calls.unary(LockGrpc.getLockMethod(), request, true, wait)
                .thenCompose(r -> kv.get(Get.key(Bytes.wrap(r.getKey()))).thenApply(held -> {
                    if (held.kvs().isEmpty()) {
                        throw new CairnException(CairnException.Code.ABORTED, "the lock's lease ended as it was taken", null);
                    }
                    return new Held(Bytes.wrap(r.getKey()), held.first().createRevision());
                }));
    }

    /** Lets the lock go; the next in line gets it. */
    public CompletableFuture<Header> unlock(Held held) {
        return calls.unary(LockGrpc.getUnlockMethod(), UnlockRequest.newBuilder().setKey(held.key().unwrap()).build(), true)
                .thenApply(r -> Wire.header(r.getHeader()));
    }

    /** Waits for {@link #lock(String, long)}. */
    public Held lockSync(String name, long leaseId) {
        return Calls.await(lock(name, leaseId));
    }

    /** Waits for {@link #lock(String, Session)}. */
    public Held lockSync(String name, Session session) {
        return Calls.await(lock(name, session));
    }

    /** Waits for {@link #unlock(Held)}. */
    public Header unlockSync(Held held) {
        return Calls.await(unlock(held));
    }
}
