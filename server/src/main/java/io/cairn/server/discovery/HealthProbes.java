package io.cairn.server.discovery;

import io.cairn.api.discovery.HealthCheck;
import io.cairn.api.discovery.Instance;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The active checks, each answering whether an instance passed: a TCP connection opens; an HTTP
 * GET answers 2xx; gRPC's standard health service answers SERVING. Each gives up after the
 * check's timeout, which counts as a failure.
 */
public final class HealthProbes implements AutoCloseable {
    private final ExecutorService connects;
    private final HttpClient http;
    /** One channel per gRPC-checked address, kept while it is checked. */
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public HealthProbes(ExecutorService connects) {
        this.connects = connects;
        this.http = HttpClient.newBuilder().executor(connects).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public CompletableFuture<Boolean> probe(Instance instance) {
        HealthCheck check = instance.getCheck();
        int timeoutMs = (int) check.getTimeoutMs();
        return switch (check.getKindCase()) {
            case TCP -> CompletableFuture.supplyAsync(() -> connects(instance, timeoutMs), connects);
            case HTTP -> http.sendAsync(HttpRequest.newBuilder(httpUri(instance)).timeout(Duration.ofMillis(timeoutMs))
                            .GET().build(), HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> r.statusCode() / 100 == 2)
                    .exceptionally(t -> false);
            case GRPC -> grpc(instance, timeoutMs);
            case KIND_NOT_SET -> CompletableFuture.completedFuture(false);
        };
    }

    /** Closes the channels of addresses no longer checked by gRPC. */
    public void retain(java.util.Set<String> grpcAddresses) {
        channels.entrySet().removeIf(e -> {
            if (grpcAddresses.contains(e.getKey())) {
                return false;
            }
            e.getValue().shutdownNow();
            return true;
        });
    }

    public static String address(Instance i) {
        return i.getHost() + ":" + i.getPort();
    }

    private static boolean connects(Instance instance, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(instance.getHost(), instance.getPort()), timeoutMs);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static URI httpUri(Instance instance) {
        String path = instance.getCheck().getHttp().getPath();
        String host = instance.getHost().contains(":") ? "[" + instance.getHost() + "]" : instance.getHost();
        return URI.create("http://" + host + ":" + instance.getPort() + (path.isEmpty() ? "/" : path));
    }

    private CompletableFuture<Boolean> grpc(Instance instance, int timeoutMs) {
        ManagedChannel channel = channels.computeIfAbsent(address(instance), a -> NettyChannelBuilder
                .forAddress(instance.getHost(), instance.getPort()).usePlaintext().build());
        CompletableFuture<Boolean> passed = new CompletableFuture<>();
        HealthGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.newBuilder().setService(instance.getCheck().getGrpc().getService()).build(),
                        new io.grpc.stub.StreamObserver<>() {
                            @Override
                            public void onNext(HealthCheckResponse r) {
                                passed.complete(r.getStatus() == HealthCheckResponse.ServingStatus.SERVING);
                            }

                            @Override
                            public void onError(Throwable t) {
                                passed.complete(false);
                            }

                            @Override
                            public void onCompleted() {
                                passed.complete(false);
                            }
                        });
        return passed;
    }

    @Override
    public void close() {
        retain(java.util.Set.of());
    }
}
