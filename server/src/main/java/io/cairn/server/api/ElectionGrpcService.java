package io.cairn.server.api;

import io.cairn.api.etcd.CampaignRequest;
import io.cairn.api.etcd.CampaignResponse;
import io.cairn.api.etcd.ElectionGrpc;
import io.cairn.api.etcd.LeaderRequest;
import io.cairn.api.etcd.LeaderResponse;
import io.cairn.api.etcd.ProclaimRequest;
import io.cairn.api.etcd.ProclaimResponse;
import io.cairn.api.etcd.ResignRequest;
import io.cairn.api.etcd.ResignResponse;
import io.cairn.server.node.ElectionServer;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** v3electionpb.Election over gRPC. */
public final class ElectionGrpcService extends ElectionGrpc.ElectionImplBase {
    private final ElectionServer elections;

    public ElectionGrpcService(ElectionServer elections) {
        this.elections = elections;
    }

    @Override
    public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> observer) {
        CancelRelay cancel = new CancelRelay();
        ((ServerCallStreamObserver<CampaignResponse>) observer).setOnCancelHandler(cancel::fire);
        Replies.reply(() -> elections.campaign(Callers.user(), request, cancel), observer);
    }

    @Override
    public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> observer) {
        Replies.reply(() -> elections.proclaim(Callers.user(), request), observer);
    }

    @Override
    public void leader(LeaderRequest request, StreamObserver<LeaderResponse> observer) {
        Replies.reply(() -> elections.leader(Callers.user(), request), observer);
    }

    @Override
    public void resign(ResignRequest request, StreamObserver<ResignResponse> observer) {
        Replies.reply(() -> elections.resign(Callers.user(), request), observer);
    }

    @Override
    public void observe(LeaderRequest request, StreamObserver<LeaderResponse> observer) {
        ServerCallStreamObserver<LeaderResponse> out = (ServerCallStreamObserver<LeaderResponse>) observer;
        Object lock = new Object();
        ElectionServer.Observation observation = elections.observe(Callers.user(), request, response -> {
            synchronized (lock) {
                if (!out.isCancelled()) {
                    out.onNext(response);
                }
            }
        }, failure -> {
            synchronized (lock) {
                if (!out.isCancelled()) {
                    out.onError(GrpcErrors.toStatus(failure));
                }
            }
        });
        out.setOnCancelHandler(observation::stop);
    }
}
