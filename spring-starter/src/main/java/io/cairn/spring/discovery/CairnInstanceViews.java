package io.cairn.spring.discovery;

import io.cairn.client.Client;
import io.cairn.client.ServiceInstances;
import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.InstanceListener;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * One live view per service the application calls, subscribed on first use and kept until the
 * application stops: the load balancer reads the instances from memory, current as the
 * registry pushes each change. Every change publishes a {@link HeartbeatEvent} (its state a
 * counter that only grows), which Spring Cloud Gateway and others take as "the catalog changed".
 */
public class CairnInstanceViews implements AutoCloseable {
    private final Client client;
    private final String namespace;
    private final ApplicationEventPublisher events;
    private final Map<String, ServiceInstances> views = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    public CairnInstanceViews(Client client, String namespace, ApplicationEventPublisher events) {
        this.client = client;
        this.namespace = namespace;
        this.events = events;
    }

    /** The view of a service, subscribing on first use; see {@link ServiceInstances#ready()}. */
    public ServiceInstances view(String service) {
        return views.computeIfAbsent(service, s -> client.discovery().subscribe(new ServiceKey(namespace, s), new InstanceListener() {
            @Override
            public void onUpdate(List<ServiceInstance> instances, List<InstanceChange> changed) {
                events.publishEvent(new HeartbeatEvent(CairnInstanceViews.this, changes.incrementAndGet()));
            }
        }));
    }

    @Override
    public void close() {
        views.values().forEach(ServiceInstances::close);
        views.clear();
    }
}
