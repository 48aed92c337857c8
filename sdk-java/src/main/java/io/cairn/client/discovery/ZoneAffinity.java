package io.cairn.client.discovery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Keeps traffic in the caller's zone while the zone has a healthy instance that may take it. */
final class ZoneAffinity implements LoadBalancer {
    private final String localZone;
    private final LoadBalancer within;

    ZoneAffinity(String localZone, LoadBalancer within) {
        this.localZone = Objects.requireNonNull(localZone, "localZone");
        this.within = Objects.requireNonNull(within, "within");
    }

    @Override
    public Optional<Pick> choose(List<ServiceInstance> candidates) {
        List<ServiceInstance> local = candidates.stream()
                .filter(i -> localZone.equals(i.zone()) && i.healthy() && i.weight() > 0).toList();
        if (!local.isEmpty()) {
            return within.choose(local);
        }
        return within.choose(candidates);
    }
}
