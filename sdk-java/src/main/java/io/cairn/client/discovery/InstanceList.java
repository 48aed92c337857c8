package io.cairn.client.discovery;

import io.cairn.client.Header;
import java.util.List;

/**
 * The answer to a lookup.
 *
 * @param header              the answering member's header; its revision is the registry's at the answer
 * @param instances           the instances found
 * @param protectionTriggered the service's healthy share was below its protection threshold, so
 *                            unhealthy instances are included (see {@link ServiceSettings})
 */
public record InstanceList(Header header, List<ServiceInstance> instances, boolean protectionTriggered) {
    /** Copies the list: the record is immutable. */
    public InstanceList {
        instances = List.copyOf(instances);
    }
}
