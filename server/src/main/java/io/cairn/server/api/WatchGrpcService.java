package io.cairn.server.api;

import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.auth.AccessPolicy;
import io.cairn.server.errors.ServerException;
import io.cairn.server.watch.WatchHub;
import io.cairn.server.watch.WatchStream;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.Watch over gRPC: responses leave as fast as the client reads them, no faster. */
public final class WatchGrpcService extends WatchGrpc.WatchImplBase {
    private final WatchHub hub;
    private final AccessPolicy access;

    public WatchGrpcService(WatchHub hub, AccessPolicy access) {
        this.hub = hub;
        this.access = access;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> observer) {
        ServerCallStreamObserver<WatchResponse> out = (ServerCallStreamObserver<WatchResponse>) observer;
        String user = Callers.user();
        WatchStream stream = hub.open(new WatchStream.Transport() {
            @Override
            public boolean isReady() {
                return out.isReady() && !out.isCancelled();
            }

            @Override
            public void send(WatchResponse response) {
                out.onNext(response);
            }
        }, create -> {
            try {
                access.checkRead(user, create.getKey(), create.getRangeEnd());
                return null;
            } catch (ServerException e) {
                return GrpcErrors.goText(e);
            }
        });
        out.setOnReadyHandler(stream::drain);
        out.setOnCancelHandler(stream::close);
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchRequest request) {
                stream.handle(request);
            }

            @Override
            public void onError(Throwable t) {
                stream.close();
            }

            @Override
            public void onCompleted() {
                stream.close();
                out.onCompleted();
            }
        };
    }
}
