package io.cairn.server.api;

import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.StatusRequest;
import io.cairn.server.errors.ServerError;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.function.BooleanSupplier;

/**
 * As etcd does, a learner serves only Status and serializable Range; every other call, streams
 * included, is refused at its first message.
 */
final class LearnerGuard implements ServerInterceptor {
    private final BooleanSupplier learner;

    LearnerGuard(BooleanSupplier learner) {
        this.learner = learner;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                         ServerCallHandler<Q, A> next) {
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                if (learner.getAsBoolean() && !allowed(message)) {
                    refused = true;
                    call.close(Status.UNAVAILABLE.withDescription(ServerError.NOT_SUPPORTED_FOR_LEARNER.text()),
                            new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    private static boolean allowed(Object message) {
        return message instanceof StatusRequest
                || (message instanceof RangeRequest r && r.getSerializable());
    }
}
