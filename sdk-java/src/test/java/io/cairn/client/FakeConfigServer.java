package io.cairn.client;

import io.cairn.api.config.ConfigEvent;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.GetResponse;
import io.cairn.api.config.HistoryRequest;
import io.cairn.api.config.HistoryResponse;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.ListenResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.client.config.ConfigKey;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A config service in the test's JVM whose Listen streams the test drives by hand: each stream
 * opened is queued with its request, to answer as the test likes. Gets answer from a map, NOT_FOUND
 * for a key said to be missing, or UNAVAILABLE; History from a map.
 */
final class FakeConfigServer implements AutoCloseable {
    /** A Listen stream the client opened. */
    record Stream(ListenRequest request, StreamObserver<ListenResponse> out) {
        void send(ListenResponse r) {
            out.onNext(r);
        }

        void fail(Status status) {
            out.onError(status.asRuntimeException());
        }
    }

    final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
    final BlockingQueue<GetRequest> gets = new LinkedBlockingQueue<>();
    final Map<ConfigKey, ConfigVersion> stored = new ConcurrentHashMap<>();
    /** Configs a get is told are not found (rather than unavailable). */
    final Set<ConfigKey> missing = ConcurrentHashMap.newKeySet();
    /** Each config's history, newest first. */
    final Map<ConfigKey, List<ConfigVersion>> history = new ConcurrentHashMap<>();
    private final Server server;
    private final ManagedChannel channel;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    FakeConfigServer() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new ConfigGrpc.ConfigImplBase() {
            @Override
            public void listen(ListenRequest request, StreamObserver<ListenResponse> out) {
                streams.add(new Stream(request, out));
            }

            @Override
            public void get(GetRequest request, StreamObserver<GetResponse> out) {
                gets.add(request);
                ConfigVersion v = stored.get(ConfigWire.key(request.getKey()));
                if (missing.contains(ConfigWire.key(request.getKey()))) {
                    out.onError(Status.NOT_FOUND.withDescription("config: not found").asRuntimeException());
                    return;
                }
                if (v == null) {
                    out.onError(Status.UNAVAILABLE.withDescription("no member here").asRuntimeException());
                    return;
                }
                out.onNext(GetResponse.newBuilder().setConfig(v).build());
                out.onCompleted();
            }

            @Override
            public void history(HistoryRequest request, StreamObserver<HistoryResponse> out) {
                List<ConfigVersion> all = history.getOrDefault(ConfigWire.key(request.getKey()), List.of());
                int n = request.getPageSize() == 0 ? all.size() : Math.min(all.size(), request.getPageSize());
                out.onNext(HistoryResponse.newBuilder().addAllVersions(all.subList(0, n)).build());
                out.onCompleted();
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** The config service of a client on this server, with the client's id, labels and snapshots as given. */
    Configs configs(Duration timeout, ConfigSnapshots snapshots) {
        Calls calls = new Calls(channel, timer, timeout, null, null);
        return new Configs(calls, Executors.newCachedThreadPool(), ConfigWire.client("me", Map.of("zone", "eu-1")), snapshots, null);
    }

    Stream nextStream() throws InterruptedException {
        Stream s = streams.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no Listen stream was opened within 10 s");
        }
        return s;
    }

    static ConfigVersion version(ConfigKey key, long version, long revision, String content) {
        return ConfigVersion.newBuilder().setKey(ConfigWire.key(key)).setVersion(version).setRevision(revision)
                .setContent(content).setMd5(ConfigSnapshots.md5(content)).setFormat(io.cairn.api.config.Format.YAML)
                .setChange(io.cairn.api.config.Change.PUBLISHED).setSize(content.length()).build();
    }

    static ListenResponse events(long headerRevision, ConfigVersion... versions) {
        ListenResponse.Builder r = ListenResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(headerRevision));
        for (ConfigVersion v : versions) {
            r.addEvents(ConfigEvent.newBuilder().setConfig(v));
        }
        return r.build();
    }

    static ListenResponse ready(long headerRevision, ConfigVersion... current) {
        return events(headerRevision, current).toBuilder().setReady(true).build();
    }

    static ListenResponse heartbeat(long headerRevision) {
        return events(headerRevision);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        timer.shutdownNow();
    }
}
