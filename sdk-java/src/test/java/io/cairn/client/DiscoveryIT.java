package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cairn.client.discovery.HealthCheck;
import io.cairn.client.discovery.InstanceKey;
import io.cairn.client.discovery.InstanceQuery;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.LoadBalancer;
import io.cairn.client.discovery.Pick;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServicePage;
import io.cairn.client.discovery.ServiceSettings;
import io.cairn.client.discovery.ServiceSummary;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SDK's discovery against one real member: registrations kept alive, re-registered after a
 * lost lease and deregistered on close; lookups and their filters; subscriptions told every
 * change once, shared per service; load balancing and protection on the views. Each test uses
 * services of its own on one member shared by the class.
 */
@ExtendWith(OwnedProcesses.class)
class DiscoveryIT {
    private static Path dir;
    private static CairnProcess cairn;
    private static Client client;
    private static Client other;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("discovery-it");
        cairn = new CairnProcess(dir.resolve("data")).start();
        client = Client.builder().endpoints(cairn.advertisedClientUrl()).build();
        other = Client.builder().endpoints(cairn.advertisedClientUrl()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        other.close();
        cairn.close();
    }

    private static RegistrationSpec.Builder spec(String service, String id, int port) {
        return RegistrationSpec.builder(service).id(id).address("127.0.0.1", port);
    }

    private static void eventually(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }

    @Test
    void registeredInstancesAreFoundByLookupsAndTheirFiltersAndGoWhenClosed() {
        Discovery d = client.discovery();
        ServiceKey orders = ServiceKey.of("orders");
        Registration a = d.sync().register(spec("orders", "a", 8081).zone("eu-1").tags("v2").metadata("build", "7").build());
        Registration b = d.sync().register(spec("orders", "b", 8082).zone("us-1").weight(300).build());
        Registration generated = d.sync().register(RegistrationSpec.builder("orders").address("127.0.0.1", 8083).build());
        assertThat(generated.key().id()).as("an id made by the registry").isNotEmpty();
        assertThat(a.leaseId()).as("a TTL registration's own lease").isNotZero();
        assertThat(a.instance().registeredAt()).isNotNull();

        assertThat(ids(d.sync().listInstances(orders).instances())).containsExactlyInAnyOrder("a", "b", generated.key().id());
        assertThat(ids(d.sync().listInstances(InstanceQuery.builder(orders).zone("eu-1").build()).instances())).containsExactly("a");
        assertThat(ids(d.sync().listInstances(InstanceQuery.builder(orders).tags("v2").build()).instances())).containsExactly("a");
        assertThat(ids(d.sync().listInstances(InstanceQuery.builder(orders).metadata("build", "7").serializable().build())
                .instances())).containsExactly("a");
        ServiceInstance bFound = d.sync().listInstances(InstanceQuery.builder(orders).zone("us-1").build()).instances().get(0);
        assertThat(bFound.weight()).isEqualTo(300);
        assertThat(bFound.address()).isEqualTo("127.0.0.1:8082");

        ServiceInstance down = b.update(InstanceUpdate.builder().status(InstanceStatus.DOWN).build()).join();
        assertThat(down.status()).isEqualTo(InstanceStatus.DOWN);
        assertThat(down.weight()).as("an update changes only what it sets").isEqualTo(300);
        assertThat(ids(d.sync().listInstances(orders).instances())).containsExactlyInAnyOrder("a", generated.key().id());
        assertThat(ids(d.sync().listInstances(InstanceQuery.builder(orders).all().build()).instances()))
                .containsExactlyInAnyOrder("a", "b", generated.key().id());

        List<ServiceSummary> services = d.sync().allServices("default");
        assertThat(services).contains(new ServiceSummary("orders", 3, 2));
        ServicePage page = d.sync().listServices("default", 1, "");
        assertThat(page.services()).hasSize(1);

        a.close();
        b.close();
        generated.close();
        assertThat(a.registered()).isFalse();
        assertThat(d.sync().listInstances(InstanceQuery.builder(orders).all().build()).instances()).isEmpty();
        generated.close(); // closing twice is harmless
    }

    @Test
    void aTtlRegistrationOutlivesItsTtlWhileItsHandleIsOpen() throws Exception {
        try (Registration r = client.discovery().sync().register(spec("billing", "one", 9000).ttl(Duration.ofSeconds(2)).build())) {
            Thread.sleep(5000);
            assertThat(ids(client.discovery().sync().listInstances(ServiceKey.of("billing")).instances())).containsExactly("one");
            assertThat(r.registered()).isTrue();
            assertThat(other.lease().sync().timeToLive(r.leaseId(), false).ttl()).isPositive();
        }
        assertThat(client.discovery().sync().listInstances(ServiceKey.of("billing")).instances()).isEmpty();
        assertThat(other.discovery().sync().listInstances(ServiceKey.of("billing")).instances()).isEmpty();
    }

    @Test
    void aLostLeaseIsRegisteredAgainUnderTheSameIdWithTheUpdatesMadeSince() throws Exception {
        BlockingQueue<String> told = new LinkedBlockingQueue<>();
        Registration.Listener listener = new Registration.Listener() {
            @Override
            public void onLeaseLost(ServiceInstance lost) {
                told.add("lost:" + lost.lease());
            }

            @Override
            public void onReregistered(ServiceInstance instance) {
                told.add("again:" + instance.lease());
            }
        };
        RecordingListener watcher = new RecordingListener();
        try (ServiceInstances view = other.discovery().subscribe("default", "search", watcher);
             Registration r = client.discovery().sync().register(spec("search", "s1", 7000).ttl(Duration.ofSeconds(3)).build(), listener)) {
            view.ready().get(10, TimeUnit.SECONDS);
            client.discovery().sync().update(r.key(), InstanceUpdate.builder().weight(42).metadata(Map.of("role", "primary")).build());
            long first = r.leaseId();

            // the lease ends under it (a partition outlasted the TTL, say): revoked by someone else here
            other.lease().sync().revoke(first);
            assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo("lost:" + first);
            String again = told.poll(10, TimeUnit.SECONDS);
            assertThat(again).startsWith("again:").isNotEqualTo("again:" + first);
            assertThat(r.registered()).isTrue();
            assertThat(r.leaseId()).isNotEqualTo(first);

            ServiceInstance back = client.discovery().sync().listInstances(ServiceKey.of("search")).instances().get(0);
            assertThat(back.id()).isEqualTo("s1");
            assertThat(back.lease()).isEqualTo(r.leaseId());
            assertThat(back.weight()).isEqualTo(42);
            assertThat(back.metadata()).containsEntry("role", "primary");
            watcher.awaitTold("REMOVED:s1", Duration.ofSeconds(10));
            watcher.awaitTold("ADDED:s1", Duration.ofSeconds(10));

            // and the new lease is kept alive like the first
            Thread.sleep(4500);
            assertThat(ids(client.discovery().sync().listInstances(ServiceKey.of("search")).instances())).containsExactly("s1");
        }
        assertThat(client.discovery().sync().listInstances(ServiceKey.of("search")).instances()).isEmpty();
        assertThat(watcher.problems()).isEmpty();
    }

    @Test
    void aSubscriberIsToldTheListThenEveryChangeOnceAndViewsShareOneSubscription() throws Exception {
        Discovery d = client.discovery();
        int before = d.subscriptions();
        RecordingListener first = new RecordingListener();
        try (Registration a = other.discovery().sync().register(spec("cart", "a", 1001).build());
             ServiceInstances view = d.subscribe("default", "cart", first)) {
            view.ready().get(10, TimeUnit.SECONDS);
            assertThat(first.next(1)).containsExactly("ADDED:a");
            Registration b = other.discovery().sync().register(spec("cart", "b", 1002).build());
            assertThat(first.next(1)).containsExactly("ADDED:b");
            other.discovery().sync().update(b.key(), InstanceUpdate.builder().status(InstanceStatus.OUT_OF_SERVICE).build());
            assertThat(first.next(1)).containsExactly("UPDATED:b:OUT_OF_SERVICE");

            // a second subscriber and a plain view of the same service ride on the same stream
            RecordingListener second = new RecordingListener();
            try (ServiceInstances again = d.subscribe(new ServiceKey("default", "cart"), second);
                 ServiceInstances plain = d.sync().instances("default", "cart")) {
                assertThat(d.subscriptions()).isEqualTo(before + 1);
                assertThat(second.next(2)).containsExactlyInAnyOrder("ADDED:a", "ADDED:b");
                assertThat(ids(plain.instances())).containsExactly("a", "b");
                assertThat(ids(plain.healthy())).containsExactly("a");
                b.close();
                assertThat(first.next(1)).containsExactly("REMOVED:b");
                assertThat(second.next(1)).containsExactly("REMOVED:b");
                eventually("the plain view loses b", Duration.ofSeconds(10), () -> ids(plain.instances()).equals(List.of("a")));
                assertThat(plain.stale()).isFalse();
                assertThat(plain.revision()).isPositive();
            }
            assertThat(d.subscriptions()).as("the first view still holds the stream").isEqualTo(before + 1);
            assertThat(first.next(Duration.ofMillis(500))).as("nothing told twice").isNull();
        }
        assertThat(d.subscriptions()).as("the last view closed the stream").isEqualTo(before);
        assertThat(first.problems()).isEmpty();
    }

    @Test
    void anEmptyServiceIsToldAsAnEmptyListFirst() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (ServiceInstances view = client.discovery().subscribe("default", "nobody-yet", listener)) {
            view.ready().get(10, TimeUnit.SECONDS);
            eventually("the first, empty, update", Duration.ofSeconds(5), () -> listener.updates() == 1);
            assertThat(view.pick()).isEmpty();
            try (Registration r = other.discovery().sync().register(spec("nobody-yet", "n1", 1).build())) {
                assertThat(listener.next(1)).containsExactly("ADDED:n1");
                assertThat(view.pick()).map(p -> p.instance().id()).contains("n1");
            }
            assertThat(listener.next(1)).containsExactly("REMOVED:n1");
        }
    }

    @Test
    void viewsBalanceByWeightAndZoneAndProtectAServiceWithFewHealthyInstances() throws Exception {
        Discovery d = other.discovery();
        ServiceKey pay = ServiceKey.of("payments");
        try (Registration light = d.sync().register(spec("payments", "light", 1).zone("eu-1").weight(100).build());
             Registration heavy = d.sync().register(spec("payments", "heavy", 2).zone("us-1").weight(300).build());
             Registration drained = d.sync().register(spec("payments", "drained", 3).zone("eu-1").weight(0).build());
             ServiceInstances view = client.discovery().sync().instances(pay)) {
            long seed = System.nanoTime();
            LoadBalancer weighted = LoadBalancer.weightedRandom(new Random(seed));
            Map<String, Integer> counts = new HashMap<>();
            for (int k = 0; k < 20_000; k++) {
                try (Pick p = view.pick(weighted).orElseThrow()) {
                    counts.merge(p.instance().id(), 1, Integer::sum);
                }
            }
            assertThat(counts).as("seed " + seed).doesNotContainKey("drained");
            assertThat(counts.get("heavy") / 20_000.0).as("seed " + seed).isCloseTo(0.75, within(0.02));

            LoadBalancer eu = LoadBalancer.zoneAffinity("eu-1", LoadBalancer.roundRobin());
            assertThat(view.pick(eu).orElseThrow().instance().id()).isEqualTo("light");
            light.update(InstanceUpdate.builder().status(InstanceStatus.DOWN).build()).join();
            eventually("the view sees light down", Duration.ofSeconds(10), () -> view.healthy().size() == 2);
            assertThat(view.pick(eu).orElseThrow().instance().id()).as("no healthy instance in eu-1").isEqualTo("heavy");

            // 2 of 3 healthy is under a threshold of 0.7: every instance is a candidate again (as Nacos)
            d.sync().putService(pay, new ServiceSettings(0.7, Map.of("team", "payments")));
            assertThat(d.sync().getService(pay).protectionThreshold()).isEqualTo(0.7);
            assertThat(d.sync().listInstances(pay).protectionTriggered()).isTrue();
            try (ServiceInstances fresh = other.discovery().sync().instances(pay)) {
                assertThat(fresh.settings().protectionThreshold()).isEqualTo(0.7);
                assertThat(fresh.protectionTriggered()).isTrue();
                assertThat(ids(fresh.candidates())).containsExactlyInAnyOrder("light", "heavy");
            }
        }
    }

    @Test
    void aSessionCarriesSeveralInstancesAndTakesThemWhenItEnds() throws Exception {
        BlockingQueue<String> told = new LinkedBlockingQueue<>();
        Registration.Listener listener = new Registration.Listener() {
            @Override
            public void onLeaseLost(ServiceInstance lost) {
                told.add(lost.id());
            }
        };
        Session session = client.session(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        Registration one = client.discovery().sync().register(spec("mail", "m1", 25).session(session).build(), listener);
        Registration two = client.discovery().sync().register(spec("mail", "m2", 26).session(session).build(), listener);
        assertThat(one.leaseId()).isEqualTo(session.leaseId()).isEqualTo(two.leaseId());
        assertThat(ids(other.discovery().sync().listInstances(ServiceKey.of("mail")).instances())).containsExactly("m1", "m2");

        other.lease().sync().revoke(session.leaseId()); // the session is lost: both go, and are not registered again
        assertThat(List.of(told.poll(10, TimeUnit.SECONDS), told.poll(10, TimeUnit.SECONDS))).containsExactlyInAnyOrder("m1", "m2");
        assertThat(one.registered()).isFalse();
        assertThat(other.discovery().sync().listInstances(InstanceQuery.builder(ServiceKey.of("mail")).all().build()).instances()).isEmpty();
        one.close(); // already gone: closing counts it deregistered
        two.close();
    }

    @Test
    void aHealthCheckedInstanceStaysUntilDeregisteredAndFollowsItsCheck() throws Exception {
        RecordingListener watcher = new RecordingListener();
        try (ServerSocket port = new ServerSocket(0);
             ServiceInstances view = other.discovery().subscribe("default", "db", watcher)) {
            view.ready().get(10, TimeUnit.SECONDS);
            HealthCheck tcp = HealthCheck.tcp().withInterval(Duration.ofMillis(500)).withTimeout(Duration.ofMillis(300))
                    .withFailureThreshold(1);
            Registration db = client.discovery().sync().register(spec("db", "primary", port.getLocalPort()).healthCheck(tcp).build());
            assertThat(db.leaseId()).isZero();
            assertThat(db.instance().healthCheck()).isEqualTo(tcp);
            assertThat(watcher.next(1)).containsExactly("ADDED:primary");
            assertThat(watcher.next(Duration.ofMillis(2000))).as("three passing checks change nothing").isNull();
            assertThat(ids(view.healthy())).containsExactly("primary");
            port.close();
            watcher.awaitTold("UPDATED:primary:DOWN", Duration.ofSeconds(15));
            db.close();
            watcher.awaitTold("REMOVED:primary", Duration.ofSeconds(10));
        }
    }

    @Test
    void anInstanceRegisteredWithPlainEtcdctlIsFoundLikeAnyOther() throws Exception {
        // what a program in any language does: a lease, and a key holding the instance's JSON on it
        String granted = Etcdctl.run(cairn.endpoint(), "etcdctl lease grant 30").output(); // "lease 694d... granted with TTL(30s)"
        String lease = granted.split(" ")[1];
        assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl put --lease=" + lease + " /cairn/registry/default/legacy/x1 "
                + "'{\"host\":\"10.1.1.1\",\"port\":8080,\"zone\":\"eu-1\",\"tags\":[\"old\"]}'").output()).isEqualTo("OK\n");
        ServiceInstance found = client.discovery().sync().listInstances(ServiceKey.of("legacy")).instances().get(0);
        assertThat(found.id()).isEqualTo("x1");
        assertThat(found.status()).isEqualTo(InstanceStatus.UP);
        assertThat(found.weight()).isEqualTo(100);
        assertThat(found.lease()).isEqualTo(Long.parseLong(lease, 16));
        assertThat(found.tags()).containsExactly("old");
        Etcdctl.run(cairn.endpoint(), "etcdctl lease revoke " + lease);
        assertThat(client.discovery().sync().listInstances(ServiceKey.of("legacy")).instances()).isEmpty();
    }

    @Test
    void theServerRefusesWhatTheClientCannotCheckCheaply() {
        Discovery d = client.discovery();
        assertThatThrownBy(() -> d.sync().register(spec("big", "b", 1).metadata("blob", "x".repeat(20_000)).build()))
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(CairnException.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> d.sync().update(new InstanceKey("default", "nothing", "here"),
                InstanceUpdate.builder().weight(1).build()))
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(CairnException.Code.NOT_FOUND));
        assertThatThrownBy(() -> d.sync().register(spec("bad", "b", 1).lease(123456789).build()))
                .isInstanceOf(CairnException.class).hasMessageContaining("lease not found");
        assertThatThrownBy(() -> d.subscribe("default", "bad/name", new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service \"bad/name\"");
    }
}
