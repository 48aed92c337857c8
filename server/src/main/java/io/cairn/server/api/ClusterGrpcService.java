package io.cairn.server.api;

import io.cairn.api.etcd.ClusterGrpc;
import io.cairn.api.etcd.MemberAddRequest;
import io.cairn.api.etcd.MemberAddResponse;
import io.cairn.api.etcd.MemberListRequest;
import io.cairn.api.etcd.MemberListResponse;
import io.cairn.api.etcd.MemberPromoteRequest;
import io.cairn.api.etcd.MemberPromoteResponse;
import io.cairn.api.etcd.MemberRemoveRequest;
import io.cairn.api.etcd.MemberRemoveResponse;
import io.cairn.api.etcd.MemberUpdateRequest;
import io.cairn.api.etcd.MemberUpdateResponse;
import io.cairn.server.node.ClusterServer;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** etcdserverpb.Cluster over gRPC. */
public final class ClusterGrpcService extends ClusterGrpc.ClusterImplBase {
    private final ClusterServer cluster;

    public ClusterGrpcService(ClusterServer cluster) {
        this.cluster = cluster;
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> observer) {
        Replies.reply(() -> cluster.memberAdd(request), observer);
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> observer) {
        Replies.reply(() -> cluster.memberRemove(request), observer);
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> observer) {
        Replies.reply(() -> cluster.memberUpdate(request), observer);
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
        Replies.reply(() -> CompletableFuture.completedFuture(cluster.memberList()), observer);
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> observer) {
        Replies.reply(() -> cluster.memberPromote(request), observer);
    }
}
