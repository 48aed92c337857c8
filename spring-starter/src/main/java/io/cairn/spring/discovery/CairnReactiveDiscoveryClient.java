package io.cairn.spring.discovery;

import io.cairn.client.Client;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServiceSummary;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link CairnDiscoveryClient}'s answers without blocking: the SDK's futures as publishers. */
public class CairnReactiveDiscoveryClient implements ReactiveDiscoveryClient {
    private final Client client;
    private final String namespace;
    private final int order;

    public CairnReactiveDiscoveryClient(Client client, String namespace, int order) {
        this.client = client;
        this.namespace = namespace;
        this.order = order;
    }

    @Override
    public String description() {
        return "Cairn reactive discovery client (namespace " + namespace + ")";
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Mono.fromFuture(() -> client.discovery().listInstances(new ServiceKey(namespace, serviceId)))
                .flatMapMany(list -> Flux.fromIterable(list.instances())).map(CairnServiceInstance::new);
    }

    @Override
    public Flux<String> getServices() {
        return Mono.fromFuture(() -> client.discovery().allServices(namespace))
                .flatMapMany(Flux::fromIterable).map(ServiceSummary::name);
    }

    @Override
    public int getOrder() {
        return order;
    }
}
