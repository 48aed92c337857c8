package io.cairn.client.discovery;

import io.cairn.client.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to register: the instance, and how it stays alive. Exactly one of
 * <ul>
 *   <li>{@link Builder#ttl a TTL} (the default, 10 s): the registry grants a lease with the
 *       instance and the SDK keeps it alive; the instance goes when the process does;</li>
 *   <li>{@link Builder#session a session} or {@link Builder#lease a lease} of the caller's, shared
 *       with its other instances, locks and keys: the instance goes with that lease;</li>
 *   <li>{@link Builder#healthCheck a health check}: a persistent instance that stays until
 *       deregistered, its status kept by the cluster's checks.</li>
 * </ul>
 *
 * <pre>{@code
 * RegistrationSpec spec = RegistrationSpec.builder("orders").namespace("prod")
 *         .address("10.0.0.5", 8080).zone("eu-1").tags("v2").metadata("version", "2.3.1")
 *         .ttl(Duration.ofSeconds(10)).build();
 * }</pre>
 *
 * Immutable; {@link #builder(String)} checks what it cheaply can (names, port, weight, TTL) and
 * throws IllegalArgumentException; the server checks everything and is the authority.
 */
public final class RegistrationSpec {
    /** The TTL of a registration that names no other way to stay alive. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

    /** How a registration stays alive. */
    public enum Liveness {
        /** A lease of its own, granted with it and kept alive by the SDK. */
        TTL,
        /** A lease the caller owns and keeps alive. */
        LEASE,
        /** The lease of a {@link Session}. */
        SESSION,
        /** No lease: a health check run by the cluster. */
        HEALTH_CHECK
    }

    private final ServiceKey service;
    private final String id;
    private final String host;
    private final int port;
    private final int weight;
    private final String zone;
    private final List<String> tags;
    private final Map<String, String> metadata;
    private final InstanceStatus status;
    private final Liveness liveness;
    private final Duration ttl;
    private final long lease;
    private final Session session;
    private final HealthCheck healthCheck;

    private RegistrationSpec(Builder b) {
        this.service = new ServiceKey(b.namespace, b.service);
        this.id = b.id;
        this.host = Names.checkPresent("host", b.host);
        this.port = Names.checkPort(b.port);
        this.weight = Names.checkWeight(b.weight);
        this.zone = b.zone;
        this.tags = List.copyOf(b.tags);
        this.metadata = Map.copyOf(b.metadata);
        this.status = b.status;
        this.liveness = b.liveness == null ? Liveness.TTL : b.liveness;
        this.ttl = liveness == Liveness.TTL ? (b.ttl == null ? DEFAULT_TTL : b.ttl) : null;
        this.lease = b.lease;
        this.session = b.session;
        this.healthCheck = b.healthCheck;
    }

    /** A spec for an instance of {@code service} in the {@value ServiceKey#DEFAULT_NAMESPACE} namespace. */
    public static Builder builder(String service) {
        return new Builder(ServiceKey.DEFAULT_NAMESPACE, service);
    }

    /** A spec for an instance of {@code service}. */
    public static Builder builder(ServiceKey service) {
        return new Builder(service.namespace(), service.service());
    }

    /** A builder holding this spec's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(service.namespace(), service.service());
        b.id = id;
        b.host = host;
        b.port = port;
        b.weight = weight;
        b.zone = zone;
        b.tags.addAll(tags);
        b.metadata.putAll(metadata);
        b.status = status;
        b.liveness = liveness;
        b.ttl = ttl;
        b.lease = lease;
        b.session = session;
        b.healthCheck = healthCheck;
        return b;
    }

    public ServiceKey service() {
        return service;
    }

    /** The instance's id; null to have the registry make one. */
    public String id() {
        return id;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** 0 to 10000; 100 unless set. */
    public int weight() {
        return weight;
    }

    /** Empty unless set. */
    public String zone() {
        return zone;
    }

    public List<String> tags() {
        return tags;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** UP unless set. */
    public InstanceStatus status() {
        return status;
    }

    public Liveness liveness() {
        return liveness;
    }

    /** For {@link Liveness#TTL}: the lease's TTL; otherwise null. */
    public Duration ttl() {
        return ttl;
    }

    /** For {@link Liveness#LEASE} and {@link Liveness#SESSION}: the lease the instance hangs on; otherwise 0. */
    public long leaseId() {
        return session != null ? session.leaseId() : lease;
    }

    /** For {@link Liveness#SESSION}: the session; otherwise null. */
    public Session session() {
        return session;
    }

    /** For {@link Liveness#HEALTH_CHECK}: the check; otherwise null. */
    public HealthCheck healthCheck() {
        return healthCheck;
    }

    @Override
    public String toString() {
        return service + "/" + (id == null ? "?" : id) + " at " + host + ":" + port;
    }

    /** Builds a {@link RegistrationSpec}; host and port are required. */
    public static final class Builder {
        private String namespace;
        private final String service;
        private String id;
        private String host;
        private int port;
        private int weight = 100;
        private String zone = "";
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private InstanceStatus status = InstanceStatus.UP;
        private Liveness liveness;
        private Duration ttl;
        private long lease;
        private Session session;
        private HealthCheck healthCheck;

        private Builder(String namespace, String service) {
            this.namespace = namespace;
            this.service = service;
        }

        /** The namespace (default {@value ServiceKey#DEFAULT_NAMESPACE}). */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** A stable id, so that registering again replaces this instance; by default the registry makes one. */
        public Builder id(String id) {
            this.id = Names.check("instance id", id);
            return this;
        }

        /** Where the instance is reached. */
        public Builder address(String host, int port) {
            return host(host).port(port);
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Its share of traffic, 0 to 10000 (default 100); 0 takes none. */
        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        public Builder zone(String zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Adds tags. */
        public Builder tags(String... tags) {
            this.tags.addAll(List.of(tags));
            return this;
        }

        /** Replaces the tags. */
        public Builder tags(List<String> tags) {
            this.tags.clear();
            this.tags.addAll(tags);
            return this;
        }

        /** Adds one metadata entry. */
        public Builder metadata(String key, String value) {
            this.metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Replaces the metadata. */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata.clear();
            this.metadata.putAll(metadata);
            return this;
        }

        /** The status to register with (default UP). */
        public Builder status(InstanceStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        /** Stays alive on a lease of its own with this TTL (whole seconds, at least 1), kept alive by the SDK. */
        public Builder ttl(Duration ttl) {
            if (ttl == null || ttl.toSeconds() < 1) {
                throw new IllegalArgumentException("a registration's TTL is at least 1 s: " + ttl);
            }
            this.ttl = Duration.ofSeconds(ttl.toSeconds());
            return live(Liveness.TTL);
        }

        /** Hangs on the caller's lease, which the caller keeps alive. */
        public Builder lease(long leaseId) {
            if (leaseId == 0) {
                throw new IllegalArgumentException("lease 0 is no lease");
            }
            this.lease = leaseId;
            return live(Liveness.LEASE);
        }

        /** Hangs on the session's lease: it goes when the session is closed or lost. */
        public Builder session(Session session) {
            this.session = Objects.requireNonNull(session, "session");
            return live(Liveness.SESSION);
        }

        /** A persistent instance, checked by the cluster rather than kept alive. */
        public Builder healthCheck(HealthCheck check) {
            this.healthCheck = Objects.requireNonNull(check, "check");
            return live(Liveness.HEALTH_CHECK);
        }

        private Builder live(Liveness chosen) {
            if (liveness != null && liveness != chosen) {
                throw new IllegalArgumentException("a registration stays alive by one of TTL, lease, session or health check, not both "
                        + liveness + " and " + chosen);
            }
            this.liveness = chosen;
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException for a bad name, a missing host, a port outside 1 to
         *                                  65535 or a weight outside 0 to 10000
         */
        public RegistrationSpec build() {
            return new RegistrationSpec(this);
        }
    }
}
