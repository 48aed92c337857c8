package io.cairn.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the application reaches Cairn: {@code spring.cloud.cairn.*}. */
@ConfigurationProperties(CairnProperties.PREFIX)
public class CairnProperties {
    public static final String PREFIX = "spring.cloud.cairn";

    /** Whether the starter does anything at all. */
    private boolean enabled = true;
    /** The cluster's client URLs, comma-separated, as the SDK and etcdctl take them. */
    private List<String> endpoints = new ArrayList<>(List.of("http://127.0.0.1:2379"));
    /** The user to log in as, when the cluster has auth enabled. */
    private String username;
    private String password;
    /** How long one call may take before it fails. */
    private Duration timeout = Duration.ofSeconds(10);
    /**
     * Who this application is to the config center's gray releases (a host or pod name keeps a
     * restarted instance in or out of a release); by default the application's name and a random suffix.
     */
    private String clientId;
    /** Labels a gray release may match this application by, such as region or version. */
    private Map<String, String> labels = new LinkedHashMap<>();
    /** The TTL of the session each {@link CairnLocks} call holds its lock on: how soon a dead holder's lock is freed. */
    private Duration lockTtl = Duration.ofSeconds(15);
    private final Tls tls = new Tls();

    /** TLS to the cluster: for https endpoints. */
    public static class Tls {
        /** The CA certificate (PEM) the members' certificates are checked against. */
        private Path ca;
        /** This client's certificate (PEM), for members that require client certificates. */
        private Path cert;
        /** This client's private key (PEM). */
        private Path key;
        /** The server name to expect in the members' certificates, when not the endpoint's host. */
        private String authority;

        public Path getCa() {
            return ca;
        }

        public void setCa(Path ca) {
            this.ca = ca;
        }

        public Path getCert() {
            return cert;
        }

        public void setCert(Path cert) {
            this.cert = cert;
        }

        public Path getKey() {
            return key;
        }

        public void setKey(Path key) {
            this.key = key;
        }

        public String getAuthority() {
            return authority;
        }

        public void setAuthority(String authority) {
            this.authority = authority;
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Duration getLockTtl() {
        return lockTtl;
    }

    public void setLockTtl(Duration lockTtl) {
        this.lockTtl = lockTtl;
    }

    public Tls getTls() {
        return tls;
    }
}
