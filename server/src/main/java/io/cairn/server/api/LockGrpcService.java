package io.cairn.server.api;

import io.cairn.api.etcd.LockGrpc;
import io.cairn.api.etcd.LockRequest;
import io.cairn.api.etcd.LockResponse;
import io.cairn.api.etcd.UnlockRequest;
import io.cairn.api.etcd.UnlockResponse;
import io.cairn.server.node.LockServer;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** v3lockpb.Lock over gRPC; a client that cancels a waiting Lock gives its place up. */
public final class LockGrpcService extends LockGrpc.LockImplBase {
    private final LockServer locks;

    public LockGrpcService(LockServer locks) {
        this.locks = locks;
    }

    @Override
    public void lock(LockRequest request, StreamObserver<LockResponse> observer) {
        CancelRelay cancel = new CancelRelay();
        ((ServerCallStreamObserver<LockResponse>) observer).setOnCancelHandler(cancel::fire);
        Replies.reply(() -> locks.lock(Callers.user(), request, cancel), observer);
    }

    @Override
    public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> observer) {
        Replies.reply(() -> locks.unlock(Callers.user(), request), observer);
    }
}
