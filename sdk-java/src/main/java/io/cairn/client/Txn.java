package io.cairn.client;

import io.cairn.api.etcd.TxnRequest;
import java.util.concurrent.CompletableFuture;

/**
 * An atomic if-then-else: {@code kv.txn().when(Cmp.version("k").eq(0)).then(Op.put(Put.key("k",
 * "v"))).otherwise(Op.get(Get.key("k"))).commit()}. All conditions are decided before any write;
 * with no condition the "then" branch runs. A txn built with {@link Kv#txn()} can be committed;
 * one built with {@link #nested()} goes inside another through {@link Op#txn}.
 */
public final class Txn {
    private final Kv kv;
    private final TxnRequest.Builder r = TxnRequest.newBuilder();

    Txn(Kv kv) {
        this.kv = kv;
    }

    /** A txn to nest in another's branch. */
    public static Txn nested() {
        return new Txn(null);
    }

    /** Conditions that must all hold for the "then" branch to run. */
    public Txn when(Cmp.Condition... conditions) {
        for (Cmp.Condition c : conditions) {
            r.addCompare(c.compare());
        }
        return this;
    }

    /** What runs when every condition holds, in order. */
    public Txn then(Op... ops) {
        for (Op op : ops) {
            r.addSuccess(op.request());
        }
        return this;
    }

    /** What runs when a condition fails, in order. */
    public Txn otherwise(Op... ops) {
        for (Op op : ops) {
            r.addFailure(op.request());
        }
        return this;
    }

    /** Sends the txn; fails with {@link IllegalStateException} for a {@link #nested()} one. */
    public CompletableFuture<TxnResponse> commit() {
        if (kv == null) {
            throw new IllegalStateException("a nested txn is committed by the txn it is in");
        }
        return kv.txn(request());
    }

    /** Waits for {@link #commit()}. */
    public TxnResponse commitSync() {
        return Calls.await(commit());
    }

    TxnRequest request() {
        return r.build();
    }
}
