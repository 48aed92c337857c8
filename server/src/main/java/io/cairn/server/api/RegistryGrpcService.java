package io.cairn.server.api;

import io.cairn.api.discovery.DeregisterRequest;
import io.cairn.api.discovery.DeregisterResponse;
import io.cairn.api.discovery.GetServiceRequest;
import io.cairn.api.discovery.GetServiceResponse;
import io.cairn.api.discovery.ListInstancesRequest;
import io.cairn.api.discovery.ListInstancesResponse;
import io.cairn.api.discovery.ListServicesRequest;
import io.cairn.api.discovery.ListServicesResponse;
import io.cairn.api.discovery.PutServiceRequest;
import io.cairn.api.discovery.PutServiceResponse;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.RegisterResponse;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.api.discovery.SubscribeRequest;
import io.cairn.api.discovery.SubscribeResponse;
import io.cairn.api.discovery.UpdateRequest;
import io.cairn.api.discovery.UpdateResponse;
import io.cairn.server.discovery.RegistrySubscription;
import io.cairn.server.node.RegistryServer;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** cairn.discovery.v1.Registry over gRPC; a subscription sends as fast as its client reads. */
public final class RegistryGrpcService extends RegistryGrpc.RegistryImplBase {
    private final RegistryServer registry;

    public RegistryGrpcService(RegistryServer registry) {
        this.registry = registry;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> observer) {
        Replies.reply(() -> registry.register(Callers.user(), request), observer);
    }

    @Override
    public void deregister(DeregisterRequest request, StreamObserver<DeregisterResponse> observer) {
        Replies.reply(() -> registry.deregister(Callers.user(), request), observer);
    }

    @Override
    public void update(UpdateRequest request, StreamObserver<UpdateResponse> observer) {
        Replies.reply(() -> registry.update(Callers.user(), request), observer);
    }

    @Override
    public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
        Replies.reply(() -> registry.listServices(Callers.user(), request), observer);
    }

    @Override
    public void listInstances(ListInstancesRequest request, StreamObserver<ListInstancesResponse> observer) {
        Replies.reply(() -> registry.listInstances(Callers.user(), request), observer);
    }

    @Override
    public void putService(PutServiceRequest request, StreamObserver<PutServiceResponse> observer) {
        Replies.reply(() -> registry.putService(Callers.user(), request), observer);
    }

    @Override
    public void getService(GetServiceRequest request, StreamObserver<GetServiceResponse> observer) {
        Replies.reply(() -> registry.getService(Callers.user(), request), observer);
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<SubscribeResponse> observer) {
        ServerCallStreamObserver<SubscribeResponse> out = (ServerCallStreamObserver<SubscribeResponse>) observer;
        RegistrySubscription subscription;
        try {
            subscription = registry.subscribe(Callers.user(), request, GrpcSinks.of(out));
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
            return;
        }
        out.setOnReadyHandler(subscription::drain);
        out.setOnCancelHandler(subscription::close);
    }
}
