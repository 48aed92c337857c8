package io.cairn.spring.discovery;

import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Registers the application once its web server is up, on the port it really listens on, and
 * deregisters it first thing on shutdown: on the context's close event, before any lifecycle
 * stops (Spring Cloud's base class would deregister only as its bean is destroyed, after the
 * web server has stopped answering). It then waits {@code discovery.drain} for consumers' load
 * balancers to drop the instance, and only then lets Spring's graceful shutdown stop the web
 * server, finishing the requests in flight.
 */
public class CairnAutoServiceRegistration extends AbstractAutoServiceRegistration<CairnRegistration> {
    private static final Log log = LogFactory.getLog(CairnAutoServiceRegistration.class);

    private final CairnRegistration registration;
    private final CairnDiscoveryProperties properties;

    public CairnAutoServiceRegistration(CairnServiceRegistry registry, AutoServiceRegistrationProperties auto,
                                        CairnRegistration registration, CairnDiscoveryProperties properties) {
        super(registry, auto);
        this.registration = registration;
        this.properties = properties;
    }

    @Override
    protected void register() {
        if (registration.getPort() == 0) {
            registration.setPort(getPort().get());
        }
        super.register();
    }

    /** Deregisters and drains before the lifecycles (the web server's among them) stop. */
    @EventListener
    public void onContextClosed(ContextClosedEvent event) {
        if (event.getApplicationContext() != getContext() || !isRunning()) {
            return; // a child context (a load balancer's, the management server's), or never registered
        }
        stop();
        Duration drain = properties.getDrain();
        if (drain != null && !drain.isNegative() && !drain.isZero()) {
            log.info("Deregistered; waiting " + drain.toMillis() + " ms for consumers to drop this instance before the web server stops");
            try {
                Thread.sleep(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected Object getConfiguration() {
        return properties;
    }

    @Override
    protected boolean isEnabled() {
        return properties.isEnabled() && properties.isRegister();
    }

    @Override
    protected CairnRegistration getRegistration() {
        return registration;
    }

    @Override
    protected CairnRegistration getManagementRegistration() {
        return null;
    }
}
