package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.LockGrpc;
import io.cairn.api.etcd.LockRequest;
import io.cairn.api.etcd.UnlockRequest;
import io.cairn.api.etcd.UnlockResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Distributed locks, held through a lease: the hold ends with Unlock or when the lease ends
 * (keep it alive with {@link Lease#keepAlive}). A hold's revision is a fencing token: a write
 * guarded by {@link Held#guard()} goes through only while the hold lasts.
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
    public record Held(ByteString key, long revision) {
        /** The condition that the lock is still held by this hold, for a txn. */
        public io.cairn.api.etcd.Compare guard() {
            return Cmp.createRevision(key).eq(revision);
        }
    }

    /** Waits as long as it takes. Locking again with the same lease is the same hold. */
    public CompletableFuture<Held> lock(String name, long leaseId) {
        return lock(name, leaseId, FOREVER);
    }

    public CompletableFuture<Held> lock(String name, long leaseId, Duration wait) {
        LockRequest request = LockRequest.newBuilder().setName(Keys.bytes(name)).setLease(leaseId).build();
        return calls.unary(LockGrpc.getLockMethod(), request, true, wait)
                .thenCompose(r -> kv.get(Get.key(r.getKey())).thenApply(held -> {
                    if (held.getKvsCount() == 0) {
                        throw new CairnException(io.grpc.Status.Code.ABORTED, "the lock's lease ended as it was taken", null);
                    }
                    return new Held(r.getKey(), held.getKvs(0).getCreateRevision());
                }));
    }

    public CompletableFuture<UnlockResponse> unlock(Held held) {
        return calls.unary(LockGrpc.getUnlockMethod(), UnlockRequest.newBuilder().setKey(held.key()).build(), true);
    }

    public Held lockSync(String name, long leaseId) {
        return Calls.await(lock(name, leaseId));
    }

    public UnlockResponse unlockSync(Held held) {
        return Calls.await(unlock(held));
    }
}
