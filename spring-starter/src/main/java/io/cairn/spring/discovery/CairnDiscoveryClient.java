package io.cairn.spring.discovery;

import io.cairn.client.Client;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServiceSummary;
import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Spring Cloud's {@link DiscoveryClient} on Cairn's registry: the services of the configured
 * namespace, and each one's instances that take traffic (UP, weight above 0; all of them while
 * the service's protection threshold is triggered), read linearizably from the cluster.
 */
public class CairnDiscoveryClient implements DiscoveryClient {
    private final Client client;
    private final String namespace;
    private final int order;

    public CairnDiscoveryClient(Client client, String namespace, int order) {
        this.client = client;
        this.namespace = namespace;
        this.order = order;
    }

    @Override
    public String description() {
        return "Cairn discovery client (namespace " + namespace + ")";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        return client.discovery().sync().listInstances(new ServiceKey(namespace, serviceId)).instances().stream()
                .<ServiceInstance>map(CairnServiceInstance::new).toList();
    }

    @Override
    public List<String> getServices() {
        return client.discovery().sync().allServices(namespace).stream().map(ServiceSummary::name).toList();
    }

    @Override
    public int getOrder() {
        return order;
    }
}
