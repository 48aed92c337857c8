package io.cairn.client;

import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.CompactionResponse;
import io.cairn.api.etcd.DeleteRangeResponse;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.PutResponse;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Keys and values: reads are retried on another endpoint when one fails; writes never are. */
public final class Kv {
    private final Calls calls;
    private final Sync sync = new Sync();

    Kv(Calls calls) {
        this.calls = calls;
    }

    public CompletableFuture<RangeResponse> get(String key) {
        return get(Get.key(key));
    }

    public CompletableFuture<RangeResponse> get(Get get) {
        return calls.unary(KVGrpc.getRangeMethod(), get.request(), true);
    }

    public CompletableFuture<PutResponse> put(String key, String value) {
        return put(Put.key(key, value));
    }

    public CompletableFuture<PutResponse> put(Put put) {
        return calls.unary(KVGrpc.getPutMethod(), put.request(), false);
    }

    public CompletableFuture<DeleteRangeResponse> delete(String key) {
        return delete(Delete.key(key));
    }

    public CompletableFuture<DeleteRangeResponse> delete(Delete delete) {
        return calls.unary(KVGrpc.getDeleteRangeMethod(), delete.request(), false);
    }

    public Txn txn() {
        return new Txn(this);
    }

    CompletableFuture<TxnResponse> txn(TxnRequest txn) {
        return calls.unary(KVGrpc.getTxnMethod(), txn, readOnly(txn));
    }

    /** Forgets the history before {@code revision}. */
    public CompletableFuture<CompactionResponse> compact(long revision) {
        return calls.unary(KVGrpc.getCompactMethod(), CompactionRequest.newBuilder().setRevision(revision).build(), false);
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
        public RangeResponse get(String key) {
            return Calls.await(Kv.this.get(key));
        }

        public RangeResponse get(Get get) {
            return Calls.await(Kv.this.get(get));
        }

        public PutResponse put(String key, String value) {
            return Calls.await(Kv.this.put(key, value));
        }

        public PutResponse put(Put put) {
            return Calls.await(Kv.this.put(put));
        }

        public DeleteRangeResponse delete(String key) {
            return Calls.await(Kv.this.delete(key));
        }

        public DeleteRangeResponse delete(Delete delete) {
            return Calls.await(Kv.this.delete(delete));
        }

        public CompactionResponse compact(long revision) {
            return Calls.await(Kv.this.compact(revision));
        }
    }
}
