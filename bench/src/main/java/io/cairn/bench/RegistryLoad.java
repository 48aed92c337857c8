package io.cairn.bench;

import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.ListInstancesRequest;
import io.cairn.api.discovery.ListInstancesResponse;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.RegisterResponse;
import io.cairn.api.discovery.RegistryGrpc;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Load on Cairn's service registry (cairn.discovery.v1.Registry), which etcd has not: compare.sh
 * sets its figures beside etcd's nearest ones (a registration beside a put, a lookup beside a
 * serializable range).
 */
final class RegistryLoad {
    static final String NAMESPACE = "bench";

    private RegistryLoad() {
    }

    /** An instance of {@code service} at a made-up address: about 150 bytes of JSON once stored. */
    static Instance instance(String service, String id, long n) {
        return Instance.newBuilder().setNamespace(NAMESPACE).setService(service).setId(id)
                .setHost("10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255)).setPort(8080)
                .setZone("zone-" + (n % 3)).putMetadata("version", "1.0.0").build();
    }

    static CompletableFuture<RegisterResponse> register(ManagedChannel ch, Instance instance, long ttl) {
        CompletableFuture<RegisterResponse> f = new CompletableFuture<>();
        RegistryGrpc.newStub(ch).register(RegisterRequest.newBuilder().setInstance(instance).setTtl(ttl).build(),
                Load.into(f));
        return f;
    }

    /** A prefix that makes this run's instance ids new, so that no registration replaces another's. */
    static String runId() {
        return Long.toString(System.currentTimeMillis(), 36);
    }

    @Command(name = "register", description = "Registrations with a TTL (lease and key in one command), each a new instance.")
    static final class Register implements Callable<Integer> {
        @Mixin
        Options o;

        @Option(names = "--service", defaultValue = "bench-register", description = "the service registered to")
        String service;

        @Option(names = "--ttl", defaultValue = "600",
                description = "seconds; long enough that no lease expires while the benchmarks run")
        long ttl;

        @Override
        public Integer call() throws Exception {
            List<ManagedChannel> channels = Load.channels(o.endpoints, o.conns);
            String run = runId();
            Bench.print(Load.run(o, "register", (c, seq) -> register(channels.get(c % channels.size()),
                    instance(service, run + "-" + seq, seq), ttl)));
            channels.forEach(ManagedChannel::shutdownNow);
            return 0;
        }
    }

    @Command(name = "lookup", description = "ListInstances of a service of --instances instances, linearizable or serializable.")
    static final class Lookup implements Callable<Integer> {
        @Mixin
        Options o;

        @Option(names = "--consistency", defaultValue = "l", description = "l (linearizable) or s (serializable)")
        String consistency;

        @Option(names = "--instances", defaultValue = "100", description = "instances registered before the lookups")
        int instances;

        @Option(names = "--service", defaultValue = "bench-lookup", description = "the service looked up")
        String service;

        @Override
        public Integer call() throws Exception {
            List<ManagedChannel> channels = Load.channels(o.endpoints, o.conns);
            // stable ids: a second run replaces the same instances rather than adding to them
            for (int i = 0; i < instances; i++) {
                register(channels.get(0), instance(service, "i" + i, i), 600).get();
            }
            boolean serializable = consistency.equals("s");
            ListInstancesRequest request = ListInstancesRequest.newBuilder().setNamespace(NAMESPACE).setService(service)
                    .setSerializable(serializable).build();
            Bench.print(Load.run(o, serializable ? "lookup-serializable" : "lookup-linearizable", (c, seq) -> {
                CompletableFuture<ListInstancesResponse> f = new CompletableFuture<>();
                RegistryGrpc.newStub(channels.get(c % channels.size())).listInstances(request, Load.into(f));
                // a lookup that finds fewer than were registered is an error, not a fast answer
                return f.thenApply(r -> {
                    if (r.getInstancesCount() < instances) {
                        throw new IllegalStateException(r.getInstancesCount() + " instances, not " + instances);
                    }
                    return r;
                });
            }));
            channels.forEach(ManagedChannel::shutdownNow);
            return 0;
        }
    }
}
