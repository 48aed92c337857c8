package io.cairn.server.api;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Counts and times every call, under the names of go-grpc-prometheus that etcd exports, so an
 * operator's dashboards read Cairn as they read etcd.
 */
final class GrpcMetrics implements ServerInterceptor {
    private final Counter started;
    private final Counter handled;
    private final Histogram seconds;

    GrpcMetrics(PrometheusRegistry registry) {
        started = Counter.builder().name("grpc_server_started").help("RPCs started on the server.")
                .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
        handled = Counter.builder().name("grpc_server_handled")
                .help("RPCs completed on the server, by status code.")
                .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code").register(registry);
        seconds = Histogram.builder().name("grpc_server_handling_seconds")
                .help("Time from the start of an RPC to its end.")
                .classicOnly()
                .classicUpperBounds(.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10)
                .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                         ServerCallHandler<Q, A> next) {
        MethodDescriptor<Q, A> method = call.getMethodDescriptor();
        String type = switch (method.getType()) {
            case UNARY -> "unary";
            case CLIENT_STREAMING -> "client_stream";
            case SERVER_STREAMING -> "server_stream";
            default -> "bidi_stream";
        };
        String service = method.getServiceName() == null ? "" : method.getServiceName();
        String name = method.getBareMethodName() == null ? "" : method.getBareMethodName();
        started.labelValues(type, service, name).inc();
        long begin = System.nanoTime();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                handled.labelValues(type, service, name, GrpcErrors.goName(status.getCode())).inc();
                seconds.labelValues(type, service, name).observe((System.nanoTime() - begin) / 1e9);
                super.close(status, trailers);
            }
        }, headers);
    }
}
