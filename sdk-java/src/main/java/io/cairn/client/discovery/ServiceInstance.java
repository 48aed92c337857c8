package io.cairn.client.discovery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered instance of a service, as the registry stores it.
 *
 * @param namespace    the namespace the service is in
 * @param service      the service it is an instance of
 * @param id           its id, unique within the service
 * @param host         the host (name or address) to reach it at
 * @param port         the port to reach it at
 * @param weight       its share of traffic relative to the service's other instances, 0 to
 *                     10000 (100 unless registered with another); 0 takes none
 * @param zone         where it runs (a data centre, an availability zone); empty when not said
 * @param tags         labels such as "v2" or "canary", in the order registered
 * @param metadata     free-form entries, the service's default metadata under the instance's own
 * @param status       whether it takes traffic
 * @param lease        the lease its key is attached to; 0 for a persistent (health-checked) instance
 * @param healthCheck  how the cluster checks a persistent instance; null for a leased one
 * @param registeredAt when it was (last) registered, by the leader's clock
 * @param revision     the store revision it was last changed at; for a removal, the revision
 *                     it was removed at
 * @param flapping     whether it is held DOWN because its health check flaps (see {@link FlapDamping})
 */
public record ServiceInstance(String namespace, String service, String id, String host, int port, int weight,
                              String zone, List<String> tags, Map<String, String> metadata, InstanceStatus status,
                              long lease, HealthCheck healthCheck, Instant registeredAt, long revision,
                              boolean flapping) {
    /** Copies the lists: the record is immutable. */
    public ServiceInstance {
        tags = List.copyOf(tags);
        metadata = Map.copyOf(metadata);
    }

    /** Whether it is UP. */
    public boolean healthy() {
        return status == InstanceStatus.UP;
    }

    /** {@code host:port} ({@code [host]:port} for an IPv6 address). */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Which instance it is. */
    public InstanceKey key() {
        return new InstanceKey(namespace, service, id);
    }
}
