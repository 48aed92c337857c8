package io.cairn.spring.discovery;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.cloud.client.ServiceInstance;

/**
 * A registered instance as Spring Cloud sees it. Its metadata is the instance's own, plus
 * {@code zone} (which Spring Cloud LoadBalancer's zone preference reads), {@code weight} and
 * {@code tags} when they are set.
 */
public final class CairnServiceInstance implements ServiceInstance {
    /** The metadata entry that says an instance is reached over https, as other registries' starters spell it. */
    static final String SECURE = "secure";

    private final io.cairn.client.discovery.ServiceInstance instance;
    private final Map<String, String> metadata;

    public CairnServiceInstance(io.cairn.client.discovery.ServiceInstance instance) {
        this.instance = instance;
        Map<String, String> m = new LinkedHashMap<>(instance.metadata());
        if (!instance.zone().isEmpty()) {
            m.putIfAbsent("zone", instance.zone());
        }
        m.putIfAbsent("weight", Integer.toString(instance.weight()));
        if (!instance.tags().isEmpty()) {
            m.putIfAbsent("tags", String.join(",", instance.tags()));
        }
        this.metadata = Map.copyOf(m);
    }

    /** The instance as Cairn's SDK has it. */
    public io.cairn.client.discovery.ServiceInstance instance() {
        return instance;
    }

    @Override
    public String getInstanceId() {
        return instance.id();
    }

    @Override
    public String getServiceId() {
        return instance.service();
    }

    @Override
    public String getHost() {
        return instance.host();
    }

    @Override
    public int getPort() {
        return instance.port();
    }

    @Override
    public boolean isSecure() {
        return Boolean.parseBoolean(instance.metadata().get(SECURE));
    }

    @Override
    public URI getUri() {
        return URI.create(getScheme() + "://" + instance.address());
    }

    @Override
    public String getScheme() {
        return isSecure() ? "https" : "http";
    }

    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CairnServiceInstance other && other.instance.equals(instance);
    }

    @Override
    public int hashCode() {
        return instance.hashCode();
    }

    @Override
    public String toString() {
        return "CairnServiceInstance[" + instance.service() + "/" + instance.id() + " at " + instance.address() + "]";
    }
}
