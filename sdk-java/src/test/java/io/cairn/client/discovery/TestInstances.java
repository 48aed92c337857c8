package io.cairn.client.discovery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Instances for unit tests: only what a test sets differs from a plain UP instance. */
public final class TestInstances {
    private TestInstances() {
    }

    public static ServiceInstance up(String id) {
        return instance(id, "", 100, InstanceStatus.UP, 1);
    }

    public static ServiceInstance instance(String id, String zone, int weight, InstanceStatus status, long revision) {
        return new ServiceInstance("default", "orders", id, "10.0.0." + Math.abs(id.hashCode() % 250), 8080, weight, zone,
                List.of(), Map.of(), status, 7, null, Instant.ofEpochMilli(1_700_000_000_000L), revision, false);
    }

    public static ServiceInstance withStatus(ServiceInstance i, InstanceStatus status, long revision) {
        return new ServiceInstance(i.namespace(), i.service(), i.id(), i.host(), i.port(), i.weight(), i.zone(), i.tags(),
                i.metadata(), status, i.lease(), i.healthCheck(), i.registeredAt(), revision, i.flapping());
    }
}
