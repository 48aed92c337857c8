package io.cairn.client.discovery;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Each candidate in turn: over n picks from n candidates, each once. */
final class RoundRobin implements LoadBalancer {
    private final AtomicLong next = new AtomicLong();

    @Override
    public Optional<Pick> choose(List<ServiceInstance> candidates) {
        List<ServiceInstance> eligible = Eligible.of(candidates);
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        int index = (int) Math.floorMod(next.getAndIncrement(), (long) eligible.size());
        return Optional.of(Pick.of(eligible.get(index)));
    }
}
