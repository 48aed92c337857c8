package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.discovery.DeregisterRequest;
import io.cairn.api.discovery.HealthCheck;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.InstanceChange;
import io.cairn.api.discovery.InstanceKey;
import io.cairn.api.discovery.ListInstancesRequest;
import io.cairn.api.discovery.ListInstancesResponse;
import io.cairn.api.discovery.ListServicesRequest;
import io.cairn.api.discovery.ListServicesResponse;
import io.cairn.api.discovery.PutServiceRequest;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.RegisterResponse;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.api.discovery.ServiceSettings;
import io.cairn.api.discovery.Status;
import io.cairn.api.discovery.SubscribeRequest;
import io.cairn.api.discovery.SubscribeResponse;
import io.cairn.api.discovery.TcpCheck;
import io.cairn.api.discovery.UpdateRequest;
import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseTimeToLiveRequest;
import io.cairn.api.etcd.LeaseTimeToLiveResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The registry over gRPC against one member, and what etcdctl sees of it. */
@ExtendWith(OwnedProcesses.class)
class RegistryIT {
    @TempDir
    Path dir;

    private CairnProcess cairn;
    private ManagedChannel channel;
    private RegistryGrpc.RegistryBlockingStub registry;

    @BeforeEach
    void start() throws Exception {
        cairn = new CairnProcess(dir.resolve("data")).start();
        channel = cairn.channel();
        registry = RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        cairn.close();
    }

    @Test
    void aRegistrationWithATtlIsOneRevisionAKeyOnItsLeaseAndReadableJson() throws Exception {
        long before = revision();
        RegisterResponse r = registry.register(withTtl(instance("prod", "orders", "o-1", 8080).setZone("eu-1"), 10));
        assertThat(r.getHeader().getRevision()).isEqualTo(before + 1);
        assertThat(r.getInstance().getLease()).isPositive();
        assertThat(r.getTtl()).isEqualTo(10);
        assertThat(r.getInstance().getWeight()).isEqualTo(100);
        assertThat(r.getInstance().getStatus()).isEqualTo(Status.UP);

        LeaseTimeToLiveResponse ttl = LeaseGrpc.newBlockingStub(channel).leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(r.getInstance().getLease()).setKeys(true).build());
        assertThat(ttl.getKeysList()).extracting(k -> k.toStringUtf8()).containsExactly("/cairn/registry/prod/orders/o-1");
        String shown = Etcdctl.run(cairn.endpoint(), "etcdctl get --prefix /cairn/registry/ --print-value-only").output();
        assertThat(shown).contains("\"host\":\"127.0.0.1\"", "\"port\":8080", "\"status\":\"UP\"", "\"zone\":\"eu-1\"");

        // the same id registered again replaces the instance
        registry.register(withTtl(instance("prod", "orders", "o-1", 9090), 10));
        assertThat(lookup("prod", "orders", false).getInstancesList()).extracting(Instance::getPort).containsExactly(9090);
    }

    @Test
    void anInstancePutWithPlainEtcdctlIsFoundAndGoesWithItsLease() throws Exception {
        String grant = Etcdctl.run(cairn.endpoint(), "etcdctl lease grant 3").output();
        String lease = grant.split(" ")[1];
        Etcdctl.Result put = Etcdctl.run(cairn.endpoint(), "etcdctl put --lease=" + lease
                + " /cairn/registry/dev/web/w1 '{\"host\":\"10.0.0.7\",\"port\":80}'");
        assertThat(put.output()).isEqualTo("OK\n");
        Instance found = lookup("dev", "web", false).getInstances(0);
        assertThat(found.getId()).isEqualTo("w1");
        assertThat(found.getHost()).isEqualTo("10.0.0.7");
        assertThat(found.getStatus()).isEqualTo(Status.UP);
        assertThat(found.getWeight()).isEqualTo(100);
        assertThat(found.getLease()).isEqualTo(Long.parseLong(lease, 16));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lookup("dev", "web", true).getInstancesCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(lookup("dev", "web", true).getInstancesList()).isEmpty();
    }

    @Test
    void badInputIsRefusedWithItsReasonAndChangesNothing() throws Exception {
        long before = revision();
        assertInvalid(withTtl(instance("prod", "", "a", 80), 10), "service is empty");
        assertInvalid(withTtl(instance("prod", "x".repeat(201), "a", 80), 10), "service");
        assertInvalid(withTtl(instance("prod", "orders", "a/b", 80), 10), "instance id \"a/b\"");
        assertInvalid(withTtl(instance("prod", "orders", "a", 70000), 10), "port 70000 is out of range");
        assertInvalid(withTtl(instance("prod", "orders", "a", 80).setStatusValue(9), 10), "unknown status");
        assertInvalid(withTtl(instance("prod", "orders", "a", 80).putMetadata("big", "x".repeat(17_000)), 10),
                "metadata is");
        assertInvalid(withTtl(instance("prod", "orders", "a", 80), 0), "TTL must be a positive number");
        assertInvalid(RegisterRequest.newBuilder().setInstance(instance("prod", "orders", "a", 80)).build(),
                "give a TTL, a lease or a health check");
        assertInvalid(withTtl(instance("prod", "orders", "a", 80).setWeight(10_001), 10), "weight 10001");
        assertThatThrownBy(() -> registry.register(RegisterRequest.newBuilder()
                .setInstance(instance("prod", "orders", "a", 80)).setLease(12345).build()))
                .hasMessageContaining("requested lease not found");
        assertThat(revision()).isEqualTo(before);
        assertThat(LeaseGrpc.newBlockingStub(channel).leaseLeases(io.cairn.api.etcd.LeaseLeasesRequest.getDefaultInstance())
                .getLeasesList()).isEmpty();
    }

    @Test
    void updateKeepsTheLeaseAndLookupsFilterByHealthZoneTagsAndMetadata() throws Exception {
        RegisterResponse a = registry.register(withTtl(instance("prod", "pay", "a", 1).setZone("z1").addTags("v2")
                .putMetadata("ver", "2"), 30));
        registry.register(withTtl(instance("prod", "pay", "b", 2).setZone("z2"), 30));
        registry.register(RegisterRequest.newBuilder().setInstance(instance("prod", "pay", "c", 3).setZone("z1"))
                .setCheck(HealthCheck.newBuilder().setTcp(TcpCheck.getDefaultInstance()).setIntervalMs(60_000)).build());

        Instance updated = registry.update(UpdateRequest.newBuilder().setKey(key("prod", "pay", "b"))
                .setStatus(Status.OUT_OF_SERVICE).setWeight(5).build()).getInstance();
        assertThat(updated.getLease()).isEqualTo(registry.listInstances(ListInstancesRequest.newBuilder()
                .setNamespace("prod").setService("pay").setAll(true).build()).getInstancesList().stream()
                .filter(i -> i.getId().equals("b")).findFirst().orElseThrow().getLease());
        assertThat(updated.getWeight()).isEqualTo(5);

        assertThat(ids(lookup("prod", "pay", false))).containsExactly("a", "c");
        assertThat(ids(lookup("prod", "pay", true))).containsExactly("a", "b", "c");
        assertThat(ids(registry.listInstances(ListInstancesRequest.newBuilder().setNamespace("prod").setService("pay")
                .setZone("z1").addTags("v2").putMetadata("ver", "2").build()))).containsExactly("a");
        assertThat(a.getInstance().getLease()).isNotEqualTo(0);

        // below the protection threshold, a lookup answers every instance rather than the few healthy ones
        registry.update(UpdateRequest.newBuilder().setKey(key("prod", "pay", "c")).setStatus(Status.DOWN).build());
        registry.putService(PutServiceRequest.newBuilder().setNamespace("prod").setService("pay")
                .setSettings(ServiceSettings.newBuilder().setProtectionThreshold(0.5)).build());
        ListInstancesResponse protectedLookup = lookup("prod", "pay", false);
        assertThat(protectedLookup.getProtectionTriggered()).isTrue();
        assertThat(ids(protectedLookup)).containsExactly("a", "b", "c");

        assertThatThrownBy(() -> registry.update(UpdateRequest.newBuilder().setKey(key("prod", "pay", "zz"))
                .setStatus(Status.DOWN).build())).hasMessageContaining("NOT_FOUND: registry: instance not found");
        registry.deregister(DeregisterRequest.newBuilder().setKey(key("prod", "pay", "c")).build());
        assertThatThrownBy(() -> registry.deregister(DeregisterRequest.newBuilder().setKey(key("prod", "pay", "c")).build()))
                .hasMessageContaining("registry: instance not found");
        assertThat(ids(lookup("prod", "pay", true))).containsExactly("a", "b");
    }

    @Test
    void servicesAreListedInPagesWithTheirCountsPerNamespace() {
        for (String s : List.of("a", "a.b", "b", "c")) {
            registry.register(withTtl(instance("prod", s, "1", 80), 30));
        }
        registry.register(withTtl(instance("test", "hidden", "1", 80), 30));
        registry.update(UpdateRequest.newBuilder().setKey(key("prod", "b", "1")).setStatus(Status.DOWN).build());
        ListServicesResponse first = registry.listServices(ListServicesRequest.newBuilder().setNamespace("prod").setPageSize(2).build());
        assertThat(first.getServicesList()).extracting(s -> s.getName()).containsExactly("a", "a.b");
        ListServicesResponse second = registry.listServices(ListServicesRequest.newBuilder().setNamespace("prod")
                .setPageSize(2).setPageToken(first.getNextPageToken()).build());
        assertThat(second.getServicesList()).extracting(s -> s.getName() + ":" + s.getInstances() + ":" + s.getHealthy())
                .containsExactly("b:1:0", "c:1:1");
        assertThat(second.getNextPageToken()).isEmpty();
    }

    @Test
    void aSubscriberGetsTheListThenEachChangeAndResumesWithoutGapOrRepeat() throws Exception {
        registry.register(withTtl(instance("prod", "cart", "a", 1), 30));
        BlockingQueue<SubscribeResponse> seen = new LinkedBlockingQueue<>();
        io.grpc.Context.CancellableContext first = subscribe("cart", 0, seen);
        SubscribeResponse snapshot = next(seen);
        assertThat(snapshot.getSnapshot()).isTrue();
        assertThat(snapshot.getInstancesList()).extracting(Instance::getId).containsExactly("a");

        registry.register(withTtl(instance("prod", "cart", "b", 2), 30));
        registry.update(UpdateRequest.newBuilder().setKey(key("prod", "cart", "a")).setStatus(Status.DOWN).build());
        SubscribeResponse added = nextChange(seen);
        assertThat(added.getChanges(0).getType()).isEqualTo(InstanceChange.Type.ADDED);
        SubscribeResponse changed = nextChange(seen);
        assertThat(changed.getChanges(0).getType()).isEqualTo(InstanceChange.Type.UPDATED);
        assertThat(changed.getChanges(0).getInstance().getStatus()).isEqualTo(Status.DOWN);
        first.cancel(null);

        // while away: two changes; resuming after the last revision seen gets exactly those
        long last = changed.getRevision();
        registry.deregister(DeregisterRequest.newBuilder().setKey(key("prod", "cart", "b")).build());
        registry.register(withTtl(instance("prod", "cart", "c", 3), 30));
        BlockingQueue<SubscribeResponse> resumed = new LinkedBlockingQueue<>();
        io.grpc.Context.CancellableContext second = subscribe("cart", last, resumed);
        SubscribeResponse connected = next(resumed);
        assertThat(connected.getChangesCount()).isZero();
        assertThat(connected.getRevision()).as("a resumed subscriber hears at once where it stands").isEqualTo(last);
        // a catching-up subscriber may get both in one response
        List<InstanceChange> missed = new java.util.ArrayList<>();
        SubscribeResponse r = null;
        while (missed.size() < 2) {
            r = nextChange(resumed);
            missed.addAll(r.getChangesList());
        }
        assertThat(missed).extracting(c -> c.getType() + " " + c.getInstance().getId() + " " + c.getRevision())
                .containsExactly("REMOVED b " + (last + 1), "ADDED c " + (last + 2));
        assertThat(r.getRevision()).isEqualTo(last + 2);
        second.cancel(null);

        // resuming from a compacted revision gets the full list again
        KVGrpc.newBlockingStub(channel).compact(CompactionRequest.newBuilder().setRevision(revision()).build());
        BlockingQueue<SubscribeResponse> stale = new LinkedBlockingQueue<>();
        io.grpc.Context.CancellableContext third = subscribe("cart", last, stale);
        SubscribeResponse full = next(stale);
        while (!full.getSnapshot()) {
            assertThat(full.getChangesList()).as("no change from a compacted history").isEmpty();
            full = next(stale);
        }
        assertThat(full.getInstancesList()).extracting(Instance::getId).containsExactly("a", "c");
        third.cancel(null);
    }

    @Test
    void persistentInstancesAreCheckedByTheLeaderAndOnlyStatusChangesAreWritten() throws Exception {
        java.net.ServerSocket port = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        int tcpPort = port.getLocalPort();
        registry.register(RegisterRequest.newBuilder().setInstance(instance("prod", "db", "tcp", tcpPort))
                .setCheck(HealthCheck.newBuilder().setTcp(TcpCheck.getDefaultInstance()).setIntervalMs(500)
                        .setTimeoutMs(300).setFailureThreshold(2).setSuccessThreshold(2)).build());
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        java.util.concurrent.atomic.AtomicInteger answer = new java.util.concurrent.atomic.AtomicInteger(200);
        web.createContext("/health", ex -> {
            ex.sendResponseHeaders(answer.get(), -1);
            ex.close();
        });
        web.start();
        try {
            registry.register(RegisterRequest.newBuilder().setInstance(instance("prod", "db", "http", web.getAddress().getPort()))
                    .setCheck(HealthCheck.newBuilder().setHttp(io.cairn.api.discovery.HttpCheck.newBuilder().setPath("/health"))
                            .setIntervalMs(500).setFailureThreshold(1)).build());
            // Cairn serves gRPC's health protocol itself
            int grpcPort = Integer.parseInt(cairn.endpoint().substring(cairn.endpoint().lastIndexOf(':') + 1));
            registry.register(RegisterRequest.newBuilder().setInstance(instance("prod", "db", "grpc", grpcPort))
                    .setCheck(HealthCheck.newBuilder().setGrpc(io.cairn.api.discovery.GrpcCheck.getDefaultInstance())
                            .setIntervalMs(500).setFailureThreshold(1)).build());
            registry.register(RegisterRequest.newBuilder().setInstance(instance("prod", "db", "closed", 1))
                    .setCheck(HealthCheck.newBuilder().setTcp(TcpCheck.getDefaultInstance()).setIntervalMs(500)
                            .setFailureThreshold(1)).build());

            awaitStatus("closed", Status.DOWN);
            long quiet = revision();
            Thread.sleep(2000);
            assertThat(revision()).as("passing checks write nothing").isEqualTo(quiet);
            assertThat(ids(lookup("prod", "db", false))).containsExactly("grpc", "http", "tcp");

            port.close();
            answer.set(503);
            awaitStatus("tcp", Status.DOWN);
            awaitStatus("http", Status.DOWN);
            port = new java.net.ServerSocket(tcpPort, 50, java.net.InetAddress.getLoopbackAddress());
            answer.set(204);
            awaitStatus("tcp", Status.UP);
            awaitStatus("http", Status.UP);
        } finally {
            web.stop(0);
            port.close();
        }
    }

    @Test
    void aFlappingCheckIsHeldDownWithoutWritesAndReleasedOnceStableForTheHold() throws Exception {
        registry.putService(PutServiceRequest.newBuilder().setNamespace("prod").setService("db")
                .setSettings(ServiceSettings.newBuilder().setFlapDamping(io.cairn.api.discovery.FlapDamping.newBuilder()
                        .setChanges(2).setWindowMs(60_000).setHoldMs(4_000))).build());
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        java.net.ServerSocket port = new java.net.ServerSocket(0, 50, loopback);
        int tcpPort = port.getLocalPort();
        registry.register(RegisterRequest.newBuilder().setInstance(instance("prod", "db", "flappy", tcpPort))
                .setCheck(HealthCheck.newBuilder().setTcp(TcpCheck.getDefaultInstance()).setIntervalMs(500)
                        .setTimeoutMs(500).setFailureThreshold(1).setSuccessThreshold(1)).build());
        try {
            port.close();
            awaitStatus("flappy", Status.DOWN);
            port = new java.net.ServerSocket(tcpPort, 50, loopback);
            awaitStatus("flappy", Status.UP);
            port.close();
            Instance held = awaitInstance("flappy", i -> i.getFlapping(), "marked flapping");
            assertThat(held.getStatus()).isEqualTo(Status.DOWN);
            assertThat(ids(lookup("prod", "db", false))).as("a flapping instance is not looked up").isEmpty();

            long heldAt = revision();
            port = new java.net.ServerSocket(tcpPort, 50, loopback);
            long reopened = System.nanoTime();
            Thread.sleep(2_000);
            assertThat(revision()).as("health changes while held write nothing").isEqualTo(heldAt);
            Instance released = awaitInstance("flappy", i -> !i.getFlapping(), "released");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reopened))
                    .as("released no sooner than the hold after its last change").isGreaterThanOrEqualTo(3_900);
            assertThat(released.getStatus()).isEqualTo(Status.UP);
            assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl get /cairn/registry/prod/db/flappy --print-value-only")
                    .output()).doesNotContain("flapping");
        } finally {
            port.close();
        }
    }

    private void awaitStatus(String id, Status status) throws InterruptedException {
        awaitInstance(id, i -> i.getStatus() == status, status.name());
    }

    private Instance awaitInstance(String id, java.util.function.Predicate<Instance> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Instance now = null;
        while (System.nanoTime() < deadline) {
            now = lookup("prod", "db", true).getInstancesList().stream().filter(i -> i.getId().equals(id))
                    .findFirst().orElseThrow();
            if (wanted.test(now)) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " not " + what + " within 15 s: " + now);
    }

    private io.grpc.Context.CancellableContext subscribe(String service, long revision, BlockingQueue<SubscribeResponse> into) {
        io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
        ctx.run(() -> RegistryGrpc.newStub(channel).subscribe(SubscribeRequest.newBuilder().setNamespace("prod")
                .setService(service).setRevision(revision).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(SubscribeResponse r) {
                        into.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        return ctx;
    }

    private static SubscribeResponse next(BlockingQueue<SubscribeResponse> q) throws InterruptedException {
        SubscribeResponse r = q.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a subscription response within 10 s").isNotNull();
        return r;
    }

    /** The next response with changes, past progress notifications. */
    private static SubscribeResponse nextChange(BlockingQueue<SubscribeResponse> q) throws InterruptedException {
        SubscribeResponse r = next(q);
        while (r.getChangesCount() == 0 && !r.getSnapshot()) {
            r = next(q);
        }
        return r;
    }

    private void assertInvalid(RegisterRequest r, String reason) {
        assertThatThrownBy(() -> registry.register(r)).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("INVALID_ARGUMENT: registry: invalid request: ")
                .hasMessageContaining(reason);
    }

    private ListInstancesResponse lookup(String ns, String service, boolean all) {
        return registry.listInstances(ListInstancesRequest.newBuilder().setNamespace(ns).setService(service).setAll(all).build());
    }

    private static List<String> ids(ListInstancesResponse r) {
        return r.getInstancesList().stream().map(Instance::getId).toList();
    }

    private long revision() {
        return KVGrpc.newBlockingStub(channel).range(RangeRequest.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("x")).build())
                .getHeader().getRevision();
    }

    private static Instance.Builder instance(String ns, String service, String id, int port) {
        return Instance.newBuilder().setNamespace(ns).setService(service).setId(id).setHost("127.0.0.1").setPort(port);
    }

    private static RegisterRequest withTtl(Instance.Builder instance, long ttl) {
        return RegisterRequest.newBuilder().setInstance(instance).setTtl(ttl).build();
    }

    private static InstanceKey key(String ns, String service, String id) {
        return InstanceKey.newBuilder().setNamespace(ns).setService(service).setId(id).build();
    }
}
