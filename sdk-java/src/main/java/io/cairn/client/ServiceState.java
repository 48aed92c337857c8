package io.cairn.client;

import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceSettings;
import java.util.List;

/**
 * What a subscription knows of a service at one moment, worked out once per change rather than
 * once per pick.
 *
 * @param all                 every instance, in id order
 * @param healthy             the UP ones
 * @param candidates          the ones a load balancer chooses from: the UP ones of weight above
 *                            0, or, while the healthy share is below the service's protection
 *                            threshold, every one of weight above 0
 * @param protectionTriggered whether the threshold is crossed
 * @param settings            the service's settings, as last read
 * @param revision            the registry revision the list is current to
 */
record ServiceState(List<ServiceInstance> all, List<ServiceInstance> healthy, List<ServiceInstance> candidates,
                    boolean protectionTriggered, ServiceSettings settings, long revision) {
    static final ServiceState EMPTY = of(List.of(), ServiceSettings.DEFAULT, 0);

    static ServiceState of(List<ServiceInstance> all, ServiceSettings settings, long revision) {
        List<ServiceInstance> healthy = all.stream().filter(ServiceInstance::healthy).toList();
        boolean protect = settings.protects(healthy.size(), all.size());
        List<ServiceInstance> candidates = (protect ? all : healthy).stream().filter(i -> i.weight() > 0).toList();
        return new ServiceState(List.copyOf(all), healthy, candidates, protect, settings, revision);
    }

    ServiceState withSettings(ServiceSettings next) {
        return of(all, next, revision);
    }
}
