package io.cairn.server.api;

import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.watch.WatchHub;
import io.cairn.server.watch.WatchStream;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.Watch over gRPC: responses leave as fast as the client reads them, no faster. */
public final class WatchGrpcService extends WatchGrpc.WatchImplBase {
    private final WatchHub hub;

    public WatchGrpcService(WatchHub hub) {
        this.hub = hub;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> observer) {
        ServerCallStreamObserver<WatchResponse> out = (ServerCallStreamObserver<WatchResponse>) observer;
        WatchStream stream = hub.open(new WatchStream.Transport() {
            @Override
            public boolean isReady() {
                return out.isReady() && !out.isCancelled();
            }

            @Override
            public void send(WatchResponse response) {
                out.onNext(response);
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
