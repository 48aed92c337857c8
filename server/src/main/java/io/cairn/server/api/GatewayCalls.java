package io.cairn.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchProgressRequest;
import io.cairn.api.etcd.WatchRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway request made as a call on the in-process gRPC channel: the JSON body becomes the
 * request, the response (or each streamed response) goes back as JSON.
 */
final class GatewayCalls {
    /** How often an idle HTTP watch asks for progress, which keeps its connection in use. */
    private static final long WATCH_PROBE_SECONDS = 60;
    private static final String WATCH = WatchGrpc.getWatchMethod().getFullMethodName();

    private GatewayCalls() {
    }

    static void call(HttpGateway gateway, GatewayHandler.Exchange ex, MethodDescriptor<Message, Message> method,
                     String body) {
        List<Message> requests;
        try {
            requests = GatewayJson.parse(method, body);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            ex.send(400, "application/json",
                    GatewayJson.error(Status.INVALID_ARGUMENT.withDescription(String.valueOf(e.getMessage()))));
            return;
        }
        Channel channel = ClientInterceptors.intercept(gateway.channel,
                MetadataUtils.newAttachHeadersInterceptor(ex.metadata()));
        if (method.getType() == MethodDescriptor.MethodType.UNARY) {
            unary(gateway, ex, channel, method, requests.get(0));
        } else {
            stream(gateway, ex, channel, method, requests);
        }
    }

    private static void unary(HttpGateway gateway, GatewayHandler.Exchange ex, Channel channel,
                              MethodDescriptor<Message, Message> method, Message request) {
        ClientCall<Message, Message> call = channel.newCall(method,
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS).withExecutor(gateway.calls));
        ex.onClientGone(() -> call.cancel("the HTTP client left", null));
        ClientCalls.asyncUnaryCall(call, request, new StreamObserver<>() {
            @Override
            public void onNext(Message response) {
                try {
                    ex.send(200, "application/json", GatewayJson.print(response));
                } catch (InvalidProtocolBufferException e) {
                    ex.error(Status.INTERNAL.withDescription("cannot print the response: " + e.getMessage()));
                }
            }

            @Override
            public void onError(Throwable t) {
                ex.error(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                // answered in onNext
            }
        });
    }

    /**
     * Streams responses as {"result": ...} lines. A watch stays open until the client leaves;
     * keep-alives answer each request once; a server stream (snapshot) runs to its end. The next
     * response is asked for only once the HTTP channel takes more writes, so a slow reader
     * slows its stream instead of filling the member's memory.
     */
    private static void stream(HttpGateway gateway, GatewayHandler.Exchange ex, Channel channel,
                               MethodDescriptor<Message, Message> method, List<Message> requests) {
        if (!gateway.streamSlots.tryAcquire()) {
            ex.error(Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: too many requests"));
            return;
        }
        boolean watch = method.getFullMethodName().equals(WATCH);
        int expected = watch || method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING ? -1 : requests.size();
        ClientCall<Message, Message> call = channel.newCall(method, CallOptions.DEFAULT.withExecutor(gateway.calls));
        ScheduledFuture<?>[] probe = new ScheduledFuture<?>[1];
        ex.startLines();
        call.start(new ClientCall.Listener<>() {
            private int received;

            @Override
            public void onMessage(Message message) {
                try {
                    ex.line("{\"result\":" + GatewayJson.print(message) + "}");
                } catch (InvalidProtocolBufferException e) {
                    call.cancel("cannot print a response", e);
                    return;
                }
                if (expected > 0 && ++received >= expected) {
                    call.cancel("all answered", null);
                } else {
                    ex.whenWritable(() -> call.request(1));
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (probe[0] != null) {
                    probe[0].cancel(false);
                }
                if (!status.isOk() && status.getCode() != Status.Code.CANCELLED) {
                    ex.line("{\"error\":" + GatewayJson.error(status) + "}");
                }
                gateway.streamSlots.release();
                ex.endLines();
            }
        }, new Metadata());
        ex.onClientGone(() -> call.cancel("the HTTP client left", null));
        call.request(1);
        for (Message request : requests) {
            call.sendMessage(request);
        }
        if (watch) {
            Message progress = WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build();
            probe[0] = gateway.probes.scheduleWithFixedDelay(() -> call.sendMessage(progress),
                    WATCH_PROBE_SECONDS, WATCH_PROBE_SECONDS, TimeUnit.SECONDS);
        } else {
            call.halfClose();
        }
    }
}
