package io.cairn.client;

import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keys and values. Every call answers a future, completed on a gRPC thread (do not block in
 * its callbacks) or failed with a {@link CairnException} carrying etcd's error text. Reads are
 * retried on another endpoint when one is unavailable; writes never are, since a write that
 * may have reached a member must not be applied twice.
 */
public final class Kv {
    private final Calls calls;
    private final Sync sync = new Sync();

    Kv(Calls calls) {
        this.calls = calls;
    }

    /** The key's current value, in {@link GetResponse#first()}; none when it does not exist. */
    public CompletableFuture<GetResponse> get(String key) {
        return get(Get.key(key));
    }

    /**
     * The keys {@code get} asks for; fails with "mvcc: required revision has been compacted" or
     * "mvcc: required revision is a future revision" for a revision out of reach.
     */
    public CompletableFuture<GetResponse> get(Get get) {
        return calls.unary(KVGrpc.getRangeMethod(), get.request(), true).thenApply(Wire::get);
    }

    /** Writes {@code value} under {@code key} (both UTF-8). */
    public CompletableFuture<PutResponse> put(String key, String value) {
        return put(Put.key(key, value));
    }

    /**
     * Writes as {@code put} says; fails with "etcdserver: requested lease not found" for a lease
     * that is gone, "etcdserver: key is not provided" for an empty key.
     */
    public CompletableFuture<PutResponse> put(Put put) {
        return calls.unary(KVGrpc.getPutMethod(), put.request(), false).thenApply(Wire::put);
    }

    /** Deletes {@code key}; {@link DeleteResponse#deleted()} is 0 when it did not exist. */
    public CompletableFuture<DeleteResponse> delete(String key) {
        return delete(Delete.key(key));
    }

    /** Deletes what {@code delete} names. */
    public CompletableFuture<DeleteResponse> delete(Delete delete) {
        return calls.unary(KVGrpc.getDeleteRangeMethod(), delete.request(), false).thenApply(Wire::delete);
    }

    /** A txn to build and {@link Txn#commit()}. */
    public Txn txn() {
        return new Txn(this);
    }

    CompletableFuture<TxnResponse> txn(TxnRequest txn) {
        return calls.unary(KVGrpc.getTxnMethod(), txn, readOnly(txn)).thenApply(Wire::txn);
    }

    /**
     * Forgets the history before {@code revision}: reads and watches of older revisions then
     * fail with "mvcc: required revision has been compacted".
     */
    public CompletableFuture<Header> compact(long revision) {
        return compact(revision, false);
    }

    /** @param physical answer only once the space is reclaimed, not when the compaction is recorded */
    public CompletableFuture<Header> compact(long revision, boolean physical) {
        CompactionRequest request = CompactionRequest.newBuilder().setRevision(revision).setPhysical(physical).build();
        return calls.unary(KVGrpc.getCompactMethod(), request, false).thenApply(r -> Wire.header(r.getHeader()));
    }

    /** The same calls, waiting for their answers. */
    public Sync sync() {
        return sync;
    }

    private static boolean readOnly(TxnRequest txn) {
        return readOnly(txn.getSuccessList()) && readOnly(txn.getFailureList());
    }

    private static boolean readOnly(List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (op.hasRequestPut() || op.hasRequestDeleteRange()
                    || (op.hasRequestTxn() && !readOnly(op.getRequestTxn()))) {
                return false;
            }
        }
        return true;
    }

    /** Blocking twins of {@link Kv}'s calls; failures are thrown as {@link CairnException}. */
    public final class Sync {
        /** Waits for {@link Kv#get(String)}. */
        public GetResponse get(String key) {
            return Calls.await(Kv.this.get(key));
        }

        /** Waits for {@link Kv#get(Get)}. */
        public GetResponse get(Get get) {
            return Calls.await(Kv.this.get(get));
        }

        /** Waits for {@link Kv#put(String, String)}. */
        public PutResponse put(String key, String value) {
            return Calls.await(Kv.this.put(key, value));
        }

        /** Waits for {@link Kv#put(Put)}. */
        public PutResponse put(Put put) {
            return Calls.await(Kv.this.put(put));
        }

        /** Waits for {@link Kv#delete(String)}. */
        public DeleteResponse delete(String key) {
            return Calls.await(Kv.this.delete(key));
        }

        /** Waits for {@link Kv#delete(Delete)}. */
        public DeleteResponse delete(Delete delete) {
            return Calls.await(Kv.this.delete(delete));
        }

        /** Waits for {@link Kv#compact(long)}. */
        public Header compact(long revision) {
            return Calls.await(Kv.this.compact(revision));
        }

        /** Waits for {@link Kv#compact(long, boolean)}. */
        public Header compact(long revision, boolean physical) {
            return Calls.await(Kv.this.compact(revision, physical));
        }
    }
}
