package io.cairn.client;

import io.cairn.api.etcd.RequestOp;

/** One operation of a txn branch: {@code Op.put(Put.key("k", "v"))}. */
public final class Op {
    private final RequestOp op;

    private Op(RequestOp op) {
        this.op = op;
    }

    /** A read; its answer is a {@link GetResponse}. */
    public static Op get(Get get) {
        return new Op(RequestOp.newBuilder().setRequestRange(get.request()).build());
    }

    /** A write; its answer is a {@link PutResponse}. */
    public static Op put(Put put) {
        return new Op(RequestOp.newBuilder().setRequestPut(put.request()).build());
    }

    /** A delete; its answer is a {@link DeleteResponse}. */
    public static Op delete(Delete delete) {
        return new Op(RequestOp.newBuilder().setRequestDeleteRange(delete.request()).build());
    }

    /** A nested txn: its own conditions and branches. */
    public static Op txn(Txn txn) {
        return new Op(RequestOp.newBuilder().setRequestTxn(txn.request()).build());
    }

    RequestOp request() {
        return op;
    }
}
