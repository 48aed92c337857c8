package io.cairn.client.discovery;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A candidate at random in proportion to its weight: with weights 100, 300 and 0 the first
 * takes a quarter of the picks, the second three quarters, the third none.
 */
final class WeightedRandom implements LoadBalancer {
    /** Null: each thread's own generator, so that busy threads do not contend for one. */
    private final RandomGenerator random;

    WeightedRandom(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Optional<Pick> choose(List<ServiceInstance> candidates) {
        long total = 0;
        for (ServiceInstance i : candidates) {
            total += Math.max(0, i.weight());
        }
        if (total == 0) {
            return Optional.empty();
        }
        // a point on [0, total); each candidate owns a stretch as long as its weight (weight 0: none)
        long point = (random != null ? random : ThreadLocalRandom.current()).nextLong(total);
        for (ServiceInstance i : candidates) {
            point -= Math.max(0, i.weight());
            if (point < 0) {
                return Optional.of(Pick.of(i));
            }
        }
        throw new IllegalStateException("a weighted draw past the total weight: the candidates changed under it");
    }
}
