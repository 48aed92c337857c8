package io.cairn.spring.discovery;

import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the application registers itself and finds others: {@code spring.cloud.cairn.discovery.*}. */
@ConfigurationProperties(CairnDiscoveryProperties.PREFIX)
public class CairnDiscoveryProperties {
    public static final String PREFIX = "spring.cloud.cairn.discovery";

    /** Whether the application registers and looks up services in Cairn. */
    private boolean enabled = true;
    /** Whether the application registers itself (it may only look others up). */
    private boolean register = true;
    /** The namespace services are registered and looked up in. */
    private String namespace = ServiceKey.DEFAULT_NAMESPACE;
    /** The service this application is an instance of; by default {@code spring.application.name}. */
    private String service;
    /** The instance's id, unique within its service; by default service-host-port. */
    private String instanceId;
    /** The address registered, and returned by {@code ServiceInstance.getHost()}; by default this host's first non-loopback address. */
    private String host;
    /** The port registered; by default the web server's real port. */
    private int port;
    /** Whether the instance is reached over https. */
    private boolean secure;
    /** How long the instance stays registered after its last heartbeat (its lease's TTL). */
    private Duration ttl = RegistrationSpec.DEFAULT_TTL;
    /** Where the instance runs; load balancers prefer instances in their own zone. */
    private String zone;
    /** The instance's share of traffic beside the service's other instances, 0 to 10000. */
    private int weight = 100;
    /** Labels such as "v2" or "canary". */
    private List<String> tags = new ArrayList<>();
    /** Free-form entries other services see with the instance. */
    private Map<String, String> metadata = new LinkedHashMap<>();
    /**
     * How long the application waits, on shutdown, between deregistering and stopping its web
     * server, so that consumers' load balancers have dropped it before it stops answering.
     */
    private Duration drain = Duration.ofSeconds(2);
    /** Where Cairn's discovery clients stand among Spring's composite's (lower first); Spring's simple client has 0. */
    private int order = -1;
    /** How often the namespace's catalog is read for changes to publish as heartbeat events. */
    private Duration catalogInterval = Duration.ofSeconds(5);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isRegister() {
        return register;
    }

    public void setRegister(boolean register) {
        this.register = register;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public boolean isSecure() {
        return secure;
    }

    public void setSecure(boolean secure) {
        this.secure = secure;
    }

    public Duration getTtl() {
        return ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public int getWeight() {
        return weight;
    }

    public void setWeight(int weight) {
        this.weight = weight;
    }

    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }

    public int getOrder() {
        return order;
    }

    public void setOrder(int order) {
        this.order = order;
    }

    public Duration getCatalogInterval() {
        return catalogInterval;
    }

    public void setCatalogInterval(Duration catalogInterval) {
        this.catalogInterval = catalogInterval;
    }

    public Duration getDrain() {
        return drain;
    }

    public void setDrain(Duration drain) {
        this.drain = drain;
    }
}
