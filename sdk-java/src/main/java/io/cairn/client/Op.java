package io.cairn.client;

import io.cairn.api.etcd.RequestOp;

/** One operation of a txn branch. */
public final class Op {
    private Op() {
    }

    public static RequestOp get(Get get) {
        return RequestOp.newBuilder().setRequestRange(get.request()).build();
    }

    public static RequestOp put(Put put) {
        return RequestOp.newBuilder().setRequestPut(put.request()).build();
    }

    public static RequestOp delete(Delete delete) {
        return RequestOp.newBuilder().setRequestDeleteRange(delete.request()).build();
    }

    /** A nested txn: its own conditions and branches. */
    public static RequestOp txn(Txn txn) {
        return RequestOp.newBuilder().setRequestTxn(txn.request()).build();
    }
}
