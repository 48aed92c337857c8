package io.cairn.server.api;

import io.cairn.server.watch.StreamSink;
import io.grpc.stub.ServerCallStreamObserver;

/** A server-streaming call as the sink of a watcher-fed stream. */
final class GrpcSinks {
    private GrpcSinks() {
    }

    static <T> StreamSink<T> of(ServerCallStreamObserver<T> out) {
        return new StreamSink<>() {
            @Override
            public boolean isReady() {
                return out.isReady() && !out.isCancelled();
            }

            @Override
            public synchronized void send(T response) {
                if (!out.isCancelled()) {
                    out.onNext(response);
                }
            }

            @Override
            public synchronized void fail(RuntimeException error) {
                if (!out.isCancelled()) {
                    out.onError(GrpcErrors.toStatus(error));
                }
            }
        };
    }
}
