package io.cairn.client.discovery;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The candidate with the fewest requests under way through this balancer. A request counts from
 * its pick until the pick is closed. Among equals it takes turns, so that an idle service is
 * spread evenly rather than sent to its first instance. Two threads picking at the same moment
 * may both see the same least loaded instance; the counts stay exact.
 */
final class LeastOutstanding implements LoadBalancer {
    private final Map<InstanceKey, AtomicInteger> underWay = new ConcurrentHashMap<>();
    private final AtomicLong turn = new AtomicLong();

    @Override
    public Optional<Pick> choose(List<ServiceInstance> candidates) {
        List<ServiceInstance> eligible = Eligible.of(candidates);
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        int n = eligible.size();
        int start = (int) Math.floorMod(turn.getAndIncrement(), (long) n);
        ServiceInstance best = null;
        int fewest = Integer.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            ServiceInstance i = eligible.get((start + k) % n);
            int count = outstanding(i.key());
            if (count < fewest) {
                best = i;
                fewest = count;
            }
        }
        forgetGone(eligible);
        AtomicInteger count = underWay.computeIfAbsent(best.key(), k -> new AtomicInteger());
        count.incrementAndGet();
        return Optional.of(Pick.of(best, count::decrementAndGet));
    }

    /** Requests under way on the instance. */
    int outstanding(InstanceKey instance) {
        AtomicInteger count = underWay.get(instance);
        return count == null ? 0 : count.get();
    }

    /** Instances that left the service keep no entry once their requests are done. */
    private void forgetGone(List<ServiceInstance> current) {
        if (underWay.size() <= 2 * current.size() + 16) {
            return;
        }
        Set<InstanceKey> live = current.stream().map(ServiceInstance::key).collect(Collectors.toSet());
        underWay.entrySet().removeIf(e -> !live.contains(e.getKey()) && e.getValue().get() == 0);
    }
}
