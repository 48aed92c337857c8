package io.cairn.server.api;

import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrantResponse;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseKeepAliveRequest;
import io.cairn.api.etcd.LeaseKeepAliveResponse;
import io.cairn.api.etcd.LeaseLeasesRequest;
import io.cairn.api.etcd.LeaseLeasesResponse;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.LeaseRevokeResponse;
import io.cairn.api.etcd.LeaseTimeToLiveRequest;
import io.cairn.api.etcd.LeaseTimeToLiveResponse;
import io.cairn.server.node.LeaseServer;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** etcdserverpb.Lease over gRPC; a keep-alive stream carries renewals of any number of leases. */
public final class LeaseGrpcService extends LeaseGrpc.LeaseImplBase {
    private final LeaseServer leases;

    public LeaseGrpcService(LeaseServer leases) {
        this.leases = leases;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> observer) {
        Replies.reply(() -> leases.grant(Callers.user(), request), observer);
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> observer) {
        Replies.reply(() -> leases.revoke(Callers.user(), request), observer);
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> observer) {
        Replies.reply(() -> leases.timeToLive(Callers.user(), request), observer);
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> observer) {
        Replies.reply(() -> CompletableFuture.completedFuture(leases.leases()), observer);
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new StreamObserver<>() {
            private boolean closed;

            @Override
            public void onNext(LeaseKeepAliveRequest request) {
                CompletableFuture<LeaseKeepAliveResponse> renewed;
                try {
                    renewed = leases.keepAlive(request);
                } catch (RuntimeException e) {
                    fail(e);
                    return;
                }
                renewed.whenComplete((response, failure) -> {
                    if (failure != null) {
                        fail(failure);
                    } else {
                        send(response);
                    }
                });
            }

            private synchronized void send(LeaseKeepAliveResponse response) {
                if (!closed) {
                    out.onNext(response);
                }
            }

            private synchronized void fail(Throwable failure) {
                if (!closed) {
                    closed = true;
                    out.onError(GrpcErrors.toStatus(failure));
                }
            }

            @Override
            public void onError(Throwable t) {
                close();
            }

            @Override
            public void onCompleted() {
                close();
            }

            private synchronized void close() {
                if (!closed) {
                    closed = true;
                    out.onCompleted();
                }
            }
        };
    }
}
