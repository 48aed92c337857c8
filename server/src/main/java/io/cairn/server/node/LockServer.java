package io.cairn.server.node;

import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.LockRequest;
import io.cairn.api.etcd.LockResponse;
import io.cairn.api.etcd.UnlockRequest;
import io.cairn.api.etcd.UnlockResponse;
import io.cairn.server.errors.ServerError;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Lock service, transport-free: a named mutex whose holder is the oldest key under the
 * name. The key answered by Lock exists exactly as long as the hold (until Unlock or until its
 * lease ends), so its create revision serves as a fencing token.
 */
public final class LockServer {
    private final KeyQueue queue;
    private final KvServer kv;

    LockServer(KeyQueue queue, KvServer kv) {
        this.queue = queue;
        this.kv = kv;
    }

    /**
     * Waits for the lock; if the client gives up while waiting, its place is given up too. A
     * lease that does not exist fails the first write, with etcd's "requested lease not found";
     * one that ends while the caller waits fails the lock once its turn comes, as etcd's does.
     */
    public CompletableFuture<LockResponse> lock(String user, LockRequest r, CancelSignal cancel) {
        return queue.join(user, r.getName(), r.getLease(), com.google.protobuf.ByteString.EMPTY)
                .thenCompose(place -> queue.awaitTurn(user, r.getName(), place.revision(), cancel)
                        .whenComplete((ok, failure) -> {
                            if (failure != null) {
                                queue.leave(user, place.key(), place.revision());
                            }
                        })
                        .thenCompose(ignored -> kv.range(user, io.cairn.api.etcd.RangeRequest.newBuilder()
                                .setKey(place.key()).setKeysOnly(true).build()))
                        .thenApply(held -> {
                            if (held.getKvsCount() == 0) {
                                // the caller's lease ended while it waited: its place, and the lock, are gone
                                throw ServerError.LOCK_SESSION_EXPIRED.exception();
                            }
                            return LockResponse.newBuilder().setHeader(held.getHeader()).setKey(place.key()).build();
                        }));
    }

    public CompletableFuture<UnlockResponse> unlock(String user, UnlockRequest r) {
        return kv.deleteRange(user, DeleteRangeRequest.newBuilder().setKey(r.getKey()).build())
                .thenApply(d -> UnlockResponse.newBuilder().setHeader(d.getHeader()).build());
    }
}
