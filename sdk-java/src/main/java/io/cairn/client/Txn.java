package io.cairn.client;

import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An atomic if-then-else: {@code kv.txn().when(Cmp.version("k").eq(0)).then(Op.put(Put.key("k",
 * "v"))).otherwise(Op.get(Get.key("k"))).commit()}. All conditions are decided before any write.
 */
public final class Txn {
    private final Kv kv;
    private final TxnRequest.Builder r = TxnRequest.newBuilder();

    Txn(Kv kv) {
        this.kv = kv;
    }

    public Txn when(Compare... conditions) {
        r.addAllCompare(List.of(conditions));
        return this;
    }

    public Txn then(RequestOp... ops) {
        r.addAllSuccess(List.of(ops));
        return this;
    }

    public Txn otherwise(RequestOp... ops) {
        r.addAllFailure(List.of(ops));
        return this;
    }

    public CompletableFuture<TxnResponse> commit() {
        return kv.txn(request());
    }

    public TxnResponse commitSync() {
        return Calls.await(commit());
    }

    TxnRequest request() {
        return r.build();
    }
}
