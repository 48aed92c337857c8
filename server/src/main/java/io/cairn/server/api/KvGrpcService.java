package io.cairn.server.api;

import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.CompactionResponse;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.DeleteRangeResponse;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.server.node.KvServer;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.KV over gRPC. */
public final class KvGrpcService extends KVGrpc.KVImplBase {
    private final KvServer kv;

    public KvGrpcService(KvServer kv) {
        this.kv = kv;
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
        Replies.reply(() -> kv.range(Callers.user(), request), observer);
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> observer) {
        Replies.reply(() -> kv.put(Callers.user(), request), observer);
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> observer) {
        Replies.reply(() -> kv.deleteRange(Callers.user(), request), observer);
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> observer) {
        Replies.reply(() -> kv.txn(Callers.user(), request), observer);
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> observer) {
        Replies.reply(() -> kv.compact(Callers.user(), request), observer);
    }
}
