package io.cairn.server.api;

import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.AlarmResponse;
import io.cairn.api.etcd.MaintenanceGrpc;
import io.cairn.api.etcd.StatusRequest;
import io.cairn.api.etcd.StatusResponse;
import io.cairn.server.node.MaintenanceServer;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** etcdserverpb.Maintenance over gRPC (the methods served so far). */
public final class MaintenanceGrpcService extends MaintenanceGrpc.MaintenanceImplBase {
    private final MaintenanceServer maintenance;

    public MaintenanceGrpcService(MaintenanceServer maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
        Replies.reply(() -> maintenance.alarm(request), observer);
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Replies.reply(() -> CompletableFuture.completedFuture(maintenance.status()), observer);
    }
}
