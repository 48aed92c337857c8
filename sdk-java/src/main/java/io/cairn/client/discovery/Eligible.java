package io.cairn.client.discovery;

import java.util.List;

/** The candidates a built-in balancer may choose from: weight 0 takes no traffic. */
final class Eligible {
    private Eligible() {
    }

    /** {@code candidates} without those of weight 0; the same list when there are none (no copy on the hot path). */
    static List<ServiceInstance> of(List<ServiceInstance> candidates) {
        for (ServiceInstance i : candidates) {
            if (i.weight() <= 0) {
                return candidates.stream().filter(c -> c.weight() > 0).toList();
            }
        }
        return candidates;
    }
}
