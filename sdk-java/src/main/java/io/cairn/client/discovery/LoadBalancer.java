package io.cairn.client.discovery;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Chooses, for each request, one of a service's instances. A balancer keeps state (a counter,
 * requests under way), so keep one per service view and share it among the threads that send
 * to that service; every built-in one is thread-safe. An instance of weight 0 is never chosen.
 *
 * <p>The candidates come from {@link io.cairn.client.ServiceInstances#pick(LoadBalancer)}: the
 * UP instances, or all of them while the service's protection threshold is crossed.
 */
public interface LoadBalancer {
    /**
     * One of {@code candidates} for a request, or none when none may take it.
     *
     * @param candidates in a stable order (by instance id); may be empty
     */
    Optional<Pick> choose(List<ServiceInstance> candidates);

    /** Each candidate in turn, whatever its weight. */
    static LoadBalancer roundRobin() {
        return new RoundRobin();
    }

    /** A candidate at random, each as likely as its weight's share of the total. */
    static LoadBalancer weightedRandom() {
        return new WeightedRandom(null);
    }

    /** The same, drawing from {@code random} (seed it to replay a run's choices). */
    static LoadBalancer weightedRandom(RandomGenerator random) {
        return new WeightedRandom(random);
    }

    /**
     * Candidates in {@code localZone} chosen by {@code within} while that zone has a healthy one;
     * otherwise any candidate, so traffic leaves the zone only when it must.
     */
    static LoadBalancer zoneAffinity(String localZone, LoadBalancer within) {
        return new ZoneAffinity(localZone, within);
    }

    /**
     * The candidate with the fewest requests under way (picked and not yet closed through this
     * balancer), taking turns among equals.
     */
    static LoadBalancer leastOutstanding() {
        return new LeastOutstanding();
    }
}
