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
    private final AtomicLong changes;

    /** @param changes the counter the events carry, shared with the catalog watch so that it only grows */
    public CairnInstanceViews(Client client, String namespace, ApplicationEventPublisher events, AtomicLong changes) {
        this.client = client;
        this.namespace = namespace;
        this.events = events;
        this.changes = changes;
    }

    /**
     * The view of a service, subscribing on first use; see {@link ServiceInstances#ready()}. A
     * view whose subscription was refused is dropped, so the next use subscribes afresh.
     */
    public ServiceInstances view(String service) {
        ServiceInstances known = views.get(service);
        if (known != null) {
            return known; // every load-balanced call comes here: no more than a map read
        }
        ServiceInstances[] made = new ServiceInstances[1];
        ServiceInstances view = views.computeIfAbsent(service, s -> made[0] = client.discovery().subscribe(new ServiceKey(namespace, s),
                new InstanceListener() {
                    @Override
                    public void onUpdate(List<ServiceInstance> instances, List<InstanceChange> changed) {
                        events.publishEvent(new HeartbeatEvent(CairnInstanceViews.this, changes.incrementAndGet()));
                    }
                }));
        if (view == made[0]) {
            view.ready().whenComplete((ready, refused) -> {
                if (refused != null && views.remove(service, view)) {
                    view.close();
                }
            });
        }
        return view;
    }

    @Override
    public void close() {
        views.values().forEach(ServiceInstances::close);
        views.clear();
    }
}
