package io.cairn.client.discovery;

import static io.cairn.client.discovery.TestInstances.instance;
import static io.cairn.client.discovery.TestInstances.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The built-in balancers' choices, measured over many picks; random draws are seeded and the seed printed. */
class LoadBalancerTest {
    private static final int PICKS = 200_000;

    private static Map<String, Integer> counts(LoadBalancer balancer, List<ServiceInstance> candidates, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int k = 0; k < picks; k++) {
            try (Pick pick = balancer.choose(candidates).orElseThrow()) {
                counts.merge(pick.instance().id(), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void weightedRandomFollowsTheWeightsAndNeverPicksWeightZero() {
        long seed = System.nanoTime();
        System.out.println("LoadBalancerTest weighted seed: " + seed);
        List<ServiceInstance> candidates = List.of(
                instance("a", "", 100, InstanceStatus.UP, 1),
                instance("b", "", 300, InstanceStatus.UP, 1),
                instance("c", "", 0, InstanceStatus.UP, 1),
                instance("d", "", 600, InstanceStatus.UP, 1));
        Map<String, Integer> counts = counts(LoadBalancer.weightedRandom(new Random(seed)), candidates, PICKS);
        assertThat(counts).doesNotContainKey("c");
        // a share's standard deviation over 200,000 draws is under 0.0012: 0.01 is more than eight of them
        assertThat(counts.get("a") / (double) PICKS).as("seed " + seed).isCloseTo(0.1, within(0.01));
        assertThat(counts.get("b") / (double) PICKS).as("seed " + seed).isCloseTo(0.3, within(0.01));
        assertThat(counts.get("d") / (double) PICKS).as("seed " + seed).isCloseTo(0.6, within(0.01));
    }

    @Test
    void weightedRandomOnThreadLocalDrawsAlsoFollowsTheWeights() {
        List<ServiceInstance> candidates = List.of(instance("a", "", 1, InstanceStatus.UP, 1), instance("b", "", 3, InstanceStatus.UP, 1));
        Map<String, Integer> counts = counts(LoadBalancer.weightedRandom(), candidates, PICKS);
        assertThat(counts.get("a") / (double) PICKS).isCloseTo(0.25, within(0.01));
    }

    @Test
    void noCandidateOrOnlyWeightZeroGivesNoPick() {
        for (LoadBalancer b : List.of(LoadBalancer.roundRobin(), LoadBalancer.weightedRandom(), LoadBalancer.leastOutstanding(),
                LoadBalancer.zoneAffinity("z", LoadBalancer.roundRobin()))) {
            assertThat(b.choose(List.of())).isEmpty();
            assertThat(b.choose(List.of(instance("a", "z", 0, InstanceStatus.UP, 1)))).as(b.getClass().getSimpleName()).isEmpty();
        }
    }

    @Test
    void roundRobinGivesEachCandidateItsTurnAndSkipsWeightZero() {
        List<ServiceInstance> candidates = List.of(up("a"), up("b"), instance("z", "", 0, InstanceStatus.UP, 1), up("c"));
        LoadBalancer rr = LoadBalancer.roundRobin();
        List<String> order = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            order.add(rr.choose(candidates).orElseThrow().instance().id());
        }
        assertThat(order).containsExactly("a", "b", "c", "a", "b", "c", "a", "b", "c");
        Map<String, Integer> counts = counts(rr, candidates, 30_000);
        assertThat(counts).containsOnlyKeys("a", "b", "c").allSatisfy((id, n) -> assertThat(n).isEqualTo(10_000));
    }

    @Test
    void roundRobinStaysFairFromManyThreads() throws Exception {
        List<ServiceInstance> candidates = List.of(up("a"), up("b"), up("c"), up("d"));
        LoadBalancer rr = LoadBalancer.roundRobin();
        Map<String, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int k = 0; k < 25_000; k++) {
                    counts.merge(rr.choose(candidates).orElseThrow().instance().id(), 1, Integer::sum);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(counts.values()).containsOnly(25_000);
    }

    @Test
    void zoneAffinityKeepsToTheLocalZoneWhileItHasAHealthyInstance() {
        ServiceInstance a1 = instance("a1", "eu-1", 100, InstanceStatus.UP, 1);
        ServiceInstance a2 = instance("a2", "eu-1", 100, InstanceStatus.UP, 1);
        ServiceInstance b1 = instance("b1", "us-1", 100, InstanceStatus.UP, 1);
        ServiceInstance b2 = instance("b2", "us-1", 100, InstanceStatus.UP, 1);
        LoadBalancer zoned = LoadBalancer.zoneAffinity("eu-1", LoadBalancer.roundRobin());

        assertThat(counts(zoned, List.of(a1, b1, a2, b2), 1000)).containsOnlyKeys("a1", "a2")
                .allSatisfy((id, n) -> assertThat(n).isEqualTo(500));
        // the local zone's only instance is down (a candidate under protection), or takes no traffic: others serve
        ServiceInstance a1Down = TestInstances.withStatus(a1, InstanceStatus.DOWN, 2);
        ServiceInstance a2Drained = instance("a2", "eu-1", 0, InstanceStatus.UP, 1);
        assertThat(counts(zoned, List.of(a1Down, a2Drained, b1, b2), 999)).containsOnlyKeys("a1", "b1", "b2");
        assertThat(counts(zoned, List.of(b1, b2), 1000)).containsOnlyKeys("b1", "b2");
        // a zone of nobody's
        assertThat(counts(LoadBalancer.zoneAffinity("ap-1", LoadBalancer.roundRobin()), List.of(a1, b1), 10))
                .containsOnlyKeys("a1", "b1");
    }

    @Test
    void leastOutstandingSendsToTheLeastBusyAndLearnsWhenRequestsEnd() {
        ServiceInstance a = up("a");
        ServiceInstance b = up("b");
        ServiceInstance c = up("c");
        LeastOutstanding lor = (LeastOutstanding) LoadBalancer.leastOutstanding();
        List<ServiceInstance> candidates = List.of(a, b, c);

        // three requests under way on an idle service: one each
        List<Pick> open = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            open.add(lor.choose(candidates).orElseThrow());
        }
        assertThat(open).extracting(p -> p.instance().id()).containsExactlyInAnyOrder("a", "b", "c");
        // b's request ends: b is the least busy, every time until it is as busy as the others
        open.stream().filter(p -> p.instance().id().equals("b")).findFirst().orElseThrow().close();
        Pick next = lor.choose(candidates).orElseThrow();
        assertThat(next.instance().id()).isEqualTo("b");
        assertThat(lor.outstanding(b.key())).isEqualTo(1);

        // a slow instance piles up requests; the others, answering at once, take the rest
        for (int k = 0; k < 5; k++) {
            open.add(lor.choose(List.of(a)).orElseThrow());
        }
        Map<String, Integer> counts = counts(lor, candidates, 300);
        assertThat(counts).doesNotContainKey("a");
        assertThat(counts.get("b") + counts.get("c")).isEqualTo(300);

        // closing twice counts once
        next.close();
        next.close();
        assertThat(lor.outstanding(b.key())).isZero();
        open.forEach(Pick::close);
        assertThat(lor.outstanding(a.key())).isZero();
        assertThat(lor.outstanding(c.key())).isZero();
    }

    @Test
    void leastOutstandingSpreadsAnIdleServiceEvenly() {
        List<ServiceInstance> candidates = List.of(up("a"), up("b"), up("c"), up("d"));
        Map<String, Integer> counts = counts(LoadBalancer.leastOutstanding(), candidates, 4000);
        assertThat(counts.values()).containsOnly(1000);
    }
}
