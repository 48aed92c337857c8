package io.cairn.spring.discovery;

import io.cairn.client.Client;
import io.cairn.client.discovery.ServiceSummary;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes a {@link HeartbeatEvent} when the namespace's catalog changes: a service appears or
 * goes, or its instance counts change. Spring Cloud Gateway's discovery routes refresh on it.
 * The catalog is read every {@code discovery.catalog-interval}, as Consul's starter reads its
 * catalog; the services the application load-balances to are followed by push besides
 * ({@link CairnInstanceViews}).
 */
public class CairnCatalogWatch implements SmartLifecycle {
    private static final Log log = LogFactory.getLog(CairnCatalogWatch.class);

    private final Client client;
    private final String namespace;
    private final Duration interval;
    private final ApplicationEventPublisher events;
    private final AtomicLong changes;
    private ScheduledExecutorService timer;
    private volatile List<ServiceSummary> last;

    /** @param changes the counter the events carry, shared with the views so that it only grows */
    public CairnCatalogWatch(Client client, String namespace, Duration interval, ApplicationEventPublisher events, AtomicLong changes) {
        this.client = client;
        this.namespace = namespace;
        this.interval = interval;
        this.events = events;
        this.changes = changes;
    }

    @Override
    public synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cairn-catalog-watch");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::read, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void read() {
        try {
            List<ServiceSummary> now = client.discovery().sync().allServices(namespace);
            if (last != null && !now.equals(last)) {
                events.publishEvent(new HeartbeatEvent(this, changes.incrementAndGet()));
            }
            last = now;
        } catch (RuntimeException e) {
            log.debug("Reading the catalog of namespace " + namespace + " failed, will retry: " + e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
