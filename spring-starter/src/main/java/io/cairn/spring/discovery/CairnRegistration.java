package io.cairn.spring.discovery;

import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceKey;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * This application's instance, as it is registered: from {@link CairnDiscoveryProperties},
 * its port filled in from the web server once it is up.
 */
public class CairnRegistration implements Registration {
    private final CairnDiscoveryProperties properties;
    private final String service;
    private final String host;
    private volatile int port;

    public CairnRegistration(CairnDiscoveryProperties properties, String service, String host) {
        this.properties = properties;
        this.service = service;
        this.host = host;
        this.port = properties.getPort();
    }

    /** What the SDK registers. */
    public RegistrationSpec spec() {
        RegistrationSpec.Builder b = RegistrationSpec.builder(new ServiceKey(properties.getNamespace(), service))
                .id(getInstanceId()).address(host, port).ttl(properties.getTtl()).weight(properties.getWeight())
                .tags(properties.getTags()).metadata(getMetadata());
        if (properties.getZone() != null && !properties.getZone().isEmpty()) {
            b.zone(properties.getZone());
        }
        return b.build();
    }

    void setPort(int port) {
        this.port = port;
    }

    @Override
    public String getInstanceId() {
        String id = properties.getInstanceId();
        return id != null && !id.isEmpty() ? id : service + "-" + host + "-" + port;
    }

    @Override
    public String getServiceId() {
        return service;
    }

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public boolean isSecure() {
        return properties.isSecure();
    }

    @Override
    public URI getUri() {
        return URI.create(getScheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    @Override
    public String getScheme() {
        return isSecure() ? "https" : "http";
    }

    @Override
    public Map<String, String> getMetadata() {
        Map<String, String> m = new LinkedHashMap<>(properties.getMetadata());
        if (properties.isSecure()) {
            m.put(CairnServiceInstance.SECURE, "true");
        }
        return m;
    }

    CairnDiscoveryProperties properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "CairnRegistration[" + properties.getNamespace() + "/" + service + "/" + getInstanceId() + " at " + host + ":" + port + "]";
    }
}
