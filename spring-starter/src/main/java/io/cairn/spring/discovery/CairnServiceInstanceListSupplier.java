package io.cairn.spring.discovery;

import io.cairn.client.ServiceInstances;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The instances Spring Cloud LoadBalancer chooses from, read from a live subscription: an
 * instance that leaves the registry (deregistered, or its lease expired) is no longer chosen
 * from the moment the change reaches the application, with no cache to wait out. The view's
 * candidates (UP, weight above 0), those in this application's zone when it has one and any
 * of them are there.
 */
public class CairnServiceInstanceListSupplier implements ServiceInstanceListSupplier {
    private final String serviceId;
    private final CairnInstanceViews views;
    private final String zone;
    private final Duration wait;
    private volatile Choosable last;

    /**
     * @param zone this application's zone; null or empty for none
     * @param wait how long a first call waits for the service's instances to be read; after it
     *             (the cluster unreachable, the subscription refused) the call finds no instance
     *             and fails at once, rather than hang
     */
    public CairnServiceInstanceListSupplier(String serviceId, CairnInstanceViews views, String zone, Duration wait) {
        this.serviceId = serviceId;
        this.views = views;
        this.zone = zone == null ? "" : zone;
        this.wait = wait;
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        ServiceInstances view = views.view(serviceId);
        CompletableFuture<ServiceInstances> ready = view.ready();
        if (ready.isDone() && !ready.isCompletedExceptionally()) {
            return Flux.just(choosable(view)); // the usual case: no waiting, so no timer either
        }
        return Mono.fromFuture(ready).map(this::choosable).timeout(wait).onErrorReturn(List.of()).flux();
    }

    /** The instances to choose from, converted once per revision of the view rather than once per call. */
    private List<ServiceInstance> choosable(ServiceInstances view) {
        long revision = view.revision();
        Choosable c = last;
        if (c == null || c.revision != revision) {
            c = new Choosable(revision, preferZone(view.candidates(), zone).stream().<ServiceInstance>map(CairnServiceInstance::new).toList());
            last = c;
        }
        return c.instances;
    }

    private record Choosable(long revision, List<ServiceInstance> instances) {
    }

    /** The candidates in {@code zone} if there are any (and a zone is given), else all of them. */
    static List<io.cairn.client.discovery.ServiceInstance> preferZone(List<io.cairn.client.discovery.ServiceInstance> candidates,
                                                                      String zone) {
        if (zone.isEmpty()) {
            return candidates;
        }
        List<io.cairn.client.discovery.ServiceInstance> near = candidates.stream().filter(i -> zone.equals(i.zone())).toList();
        return near.isEmpty() ? candidates : near;
    }
}
