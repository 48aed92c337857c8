package io.cairn.spring;

import io.cairn.client.Client;
import io.cairn.client.Maintenance;
import io.cairn.spring.discovery.CairnRegistration;
import io.cairn.spring.discovery.CairnServiceRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Up while the member the client talks to answers and knows a leader, and (when the
 * application registers itself) while its registration's lease is alive.
 */
public class CairnHealthIndicator extends AbstractHealthIndicator {
    private final Client client;
    private final Duration timeout;
    private final CairnServiceRegistry registry;
    private final CairnRegistration registration;

    /** @param registry and {@code registration} null when the application does not register */
    public CairnHealthIndicator(Client client, Duration timeout, CairnServiceRegistry registry, CairnRegistration registration) {
        super("Cairn cannot be reached");
        this.client = client;
        this.timeout = timeout;
        this.registry = registry;
        this.registration = registration;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) throws Exception {
        Maintenance.Status status = client.maintenance().status().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        health.withDetail("version", status.version()).withDetail("raftIndex", status.raftIndex());
        boolean up = status.leader() != 0;
        health.withDetail("leader", up ? Long.toHexString(status.leader()) : "none");
        if (registry != null && registration != null) {
            boolean registered = registry.isRegistered(registration);
            health.withDetail("registration", registration.getInstanceId()).withDetail("registered", registered);
            up &= registered || registration.getPort() == 0; // not yet registered: the web server is not up yet
        }
        if (up) {
            health.up();
        } else {
            health.down();
        }
    }
}
