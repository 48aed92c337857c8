package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.discovery.InstanceQuery;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery while members fail: a view keeps serving its last list while the cluster is down
 * and says so; a registration outlives a pause longer than its TTL by registering again; a
 * subscription moved to another member by a leader's death misses and repeats nothing.
 */
@ExtendWith(OwnedProcesses.class)
class DiscoveryFailoverIT {
    @TempDir
    Path dir;

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }

    private static Client client(List<String> endpoints, Duration timeout) {
        return Client.builder().endpoints(endpoints).timeout(timeout).build();
    }

    @Test
    void aViewServesItsLastListWhileTheClusterIsDownAndCatchesUpAfter() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        List<String> endpoint = List.of(cairn.advertisedClientUrl());
        try (Client watcher = client(endpoint, Duration.ofSeconds(3)); Client owner = client(endpoint, Duration.ofSeconds(3))) {
            Registration a = owner.discovery().sync().register(RegistrationSpec.builder("api").id("a").address("10.0.0.1", 80)
                    .ttl(Duration.ofSeconds(30)).build());
            RecordingListener listener = new RecordingListener();
            ServiceInstances view = watcher.discovery().subscribe("default", "api", listener);
            view.ready().get(10, TimeUnit.SECONDS);
            assertThat(listener.next(1)).containsExactly("ADDED:a");

            cairn.kill();
            listener.awaitTold("STALE:true", Duration.ofSeconds(10));
            assertThat(view.stale()).isTrue();
            assertThat(ids(view.instances())).as("the last list, served while the cluster is away").containsExactly("a");
            assertThat(view.pick().orElseThrow().instance().id()).isEqualTo("a");

            cairn.start();
            listener.awaitTold("STALE:false", Duration.ofSeconds(20));
            assertThat(view.stale()).isFalse();
            try (Registration b = owner.discovery().sync().register(RegistrationSpec.builder("api").id("b").address("10.0.0.2", 80).build())) {
                listener.awaitTold("ADDED:b", Duration.ofSeconds(10));
                b.close();
                listener.awaitTold("REMOVED:b", Duration.ofSeconds(10));
            }
            a.close();
            listener.awaitTold("REMOVED:a", Duration.ofSeconds(10));
            assertThat(listener.problems()).isEmpty();
            view.close();
        }
    }

    @Test
    void aRegistrationPausedPastItsTtlRegistersAgainWhenTheClusterAnswers() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        List<String> endpoint = List.of(cairn.advertisedClientUrl());
        BlockingQueue<String> told = new LinkedBlockingQueue<>();
        Registration.Listener listener = new Registration.Listener() {
            @Override
            public void onLeaseLost(ServiceInstance lost) {
                told.add("lost");
            }

            @Override
            public void onReregistered(ServiceInstance instance) {
                told.add("again");
            }

            @Override
            public void onReregisterFailed(CairnException error) {
                told.add("failed");
            }
        };
        try (Client owner = client(endpoint, Duration.ofSeconds(2))) {
            Registration r = owner.discovery().sync().register(RegistrationSpec.builder("jobs").id("worker-1")
                    .address("10.0.0.9", 9000).ttl(Duration.ofSeconds(2)).build(), listener);
            long first = r.leaseId();
            // nothing answers for twice the TTL: as a partition, or a pause of the whole cluster
            cairn.signal("STOP");
            try {
                assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo("lost");
                assertThat(r.registered()).isFalse();
                assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo("failed");
            } finally {
                cairn.signal("CONT");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String last = null;
            while (!"again".equals(last) && System.nanoTime() < deadline) {
                last = told.poll(1, TimeUnit.SECONDS);
            }
            assertThat(last).isEqualTo("again");
            assertThat(r.registered()).isTrue();
            assertThat(r.leaseId()).isNotEqualTo(first);
            // past the old lease's TTL: the instance stays, on its new lease
            Thread.sleep(3000);
            ServiceInstance now = owner.discovery().sync().listInstances(ServiceKey.of("jobs")).instances().get(0);
            assertThat(now.id()).isEqualTo("worker-1");
            assertThat(now.lease()).isEqualTo(r.leaseId());
            r.close();
            assertThat(owner.discovery().sync().listInstances(InstanceQuery.builder(ServiceKey.of("jobs")).all().build())
                    .instances()).isEmpty();
        } finally {
            cairn.close();
        }
    }

    @Test
    void aSubscriptionFollowsEveryChangeOnceAcrossALeaderKill() throws Exception {
        try (CairnCluster cluster = CairnCluster.start(dir, 3)) {
            CairnProcess leader = cluster.awaitLeader(10_000);
            List<String> endpoints = cluster.clientUrlsFrom(leader);
            try (Client pinned = Client.builder().endpoints(endpoints).loadBalancing("pick_first").build();
                 Client writer = client(endpoints, Duration.ofSeconds(5))) {
                RecordingListener listener = new RecordingListener();
                ServiceInstances view = pinned.discovery().subscribe("default", "fleet", listener);
                view.ready().get(10, TimeUnit.SECONDS);

                // instances that only heartbeat through it all: none may be dropped. Their TTL outlasts
                // a failover (the last renewal up to a third of a TTL before the kill, then up to two
                // election timeouts to notice the leader's death, then a vote); 3 s did not, on a busy machine
                // (the client rightly gives a lease up after a TTL without an answer, as etcd's does)
                java.util.concurrent.atomic.AtomicInteger leasesLost = new java.util.concurrent.atomic.AtomicInteger();
                List<Registration> steady = new ArrayList<>();
                for (int s = 0; s < 20; s++) {
                    steady.add(writer.discovery().sync().register(RegistrationSpec.builder("fleet").id("steady-" + s)
                            .address("10.0.2." + s, 7000).ttl(Duration.ofSeconds(6)).build(), new Registration.Listener() {
                                @Override
                                public void onLeaseLost(ServiceInstance lost) {
                                    leasesLost.incrementAndGet();
                                }
                            }));
                }
                Map<String, Registration> live = new ConcurrentHashMap<>();
                int acknowledged = 0;
                for (int i = 0; i < 90; i++) {
                    if (i == 30) {
                        leader.kill();
                    }
                    String id = "i" + (i % 15);
                    try {
                        Registration gone = live.remove(id);
                        if (gone != null) {
                            gone.close();
                        } else {
                            live.put(id, writer.discovery().sync().register(RegistrationSpec.builder("fleet").id(id)
                                    .address("10.0.1." + (i % 15), 7000).ttl(Duration.ofSeconds(30)).build()));
                        }
                        acknowledged++;
                    } catch (CairnException e) {
                        // lost in the failover, not acknowledged; the next round settles this id
                    }
                }
                assertThat(acknowledged).isGreaterThan(60);
                List<String> truth = ids(writer.discovery().sync().listInstances(InstanceQuery.builder(ServiceKey.of("fleet"))
                        .all().build()).instances());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!listener.ids().equals(truth) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(listener.ids()).as("the subscriber's list, change by change").isEqualTo(truth);
                assertThat(ids(view.instances())).isEqualTo(truth);
                assertThat(listener.problems()).as("changes told twice or out of order").isEmpty();
                Thread.sleep(8_000); // past the steady instances' TTL and the election timeout the new leader adds
                assertThat(leasesLost).as("heartbeating instances whose lease was lost").hasValue(0);
                assertThat(listener.drain()).as("no heartbeating instance removed").noneMatch(t -> t.startsWith("REMOVED:steady-"));
                for (Registration r : steady) {
                    assertThat(listener.ids()).contains(r.key().id());
                }
                steady.forEach(Registration::closeAsync);
                List<Registration> all = new ArrayList<>(live.values());
                all.forEach(Registration::closeAsync);
                view.close();
            }
        }
    }
}
