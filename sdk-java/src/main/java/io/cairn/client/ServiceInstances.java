package io.cairn.client;

import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.InstanceListener;
import io.cairn.client.discovery.LoadBalancer;
import io.cairn.client.discovery.Pick;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.client.discovery.ServiceSettings;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A service's instances, kept current by the client's one subscription to the service (shared
 * by every view of it, ended when the last view closes), and a place to choose an instance for a
 * request. While the cluster is unreachable the view keeps serving the last instances it knew,
 * and {@link #stale()} says so; the subscription reconnects by itself and catches up.
 *
 * <pre>{@code
 * try (ServiceInstances orders = client.discovery().sync().instances(ServiceKey.of("orders"))) {
 *     LoadBalancer balancer = LoadBalancer.leastOutstanding();   // one per view, shared by threads
 *     try (Pick pick = orders.pick(balancer).orElseThrow(() -> new IllegalStateException("no orders instance"))) {
 *         send(pick.instance().address());
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe; the reads answer at once from memory. A listener given to
 * {@link Discovery#subscribe} is told on a client thread, one call at a time, in order.
 */
public final class ServiceInstances implements AutoCloseable {
    private final ServiceFeed feed;
    private final ListenerQueue<InstanceListener> deliveries;
    private final Discovery owner;
    private final LoadBalancer roundRobin = LoadBalancer.roundRobin();
    private final AtomicBoolean closed = new AtomicBoolean();

    ServiceInstances(ServiceFeed feed, InstanceListener listener, Executor listeners, Discovery owner) {
        this.feed = feed;
        this.deliveries = new ListenerQueue<>(listener, listeners, "an instance listener failed");
        this.owner = owner;
    }

    /** The service viewed. */
    public ServiceKey service() {
        return feed.service();
    }

    /**
     * Completes with this view once the service's instances and settings have been read; fails
     * when the subscription is refused (permission denied, a server without the registry).
     */
    public CompletableFuture<ServiceInstances> ready() {
        return feed.ready().thenApply(ignored -> this);
    }

    /** Every instance, whatever its status, in id order; empty until {@link #ready()}. */
    public List<ServiceInstance> instances() {
        return feed.state().all();
    }

    /** The UP instances, in id order. */
    public List<ServiceInstance> healthy() {
        return feed.state().healthy();
    }

    /**
     * The instances a balancer chooses from: the UP ones of weight above 0, or, while the
     * service's healthy share is below its protection threshold, all of weight above 0.
     */
    public List<ServiceInstance> candidates() {
        return feed.state().candidates();
    }

    /** Whether the healthy share is below the service's protection threshold, so unhealthy instances are candidates too. */
    public boolean protectionTriggered() {
        return feed.state().protectionTriggered();
    }

    /** The service's settings, as last read (they are read again every 30 s). */
    public ServiceSettings settings() {
        return feed.state().settings();
    }

    /** The registry revision the instances are current to. */
    public long revision() {
        return feed.state().revision();
    }

    /**
     * Whether the cluster cannot be reached right now, so the instances are the last ones known
     * and may be out of date; false again once the subscription is back and caught up.
     */
    public boolean stale() {
        return feed.stale();
    }

    /** An instance for one request, chosen by {@code balancer} among the {@link #candidates()}; none when there is none. */
    public Optional<Pick> pick(LoadBalancer balancer) {
        return balancer.choose(feed.state().candidates());
    }

    /** An instance for one request, the candidates taken in turn. */
    public Optional<Pick> pick() {
        return pick(roundRobin);
    }

    /** Stops this view; the subscription ends with the service's last view. Its listener is told nothing more. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            deliveries.stop();
            owner.release(feed, this);
        }
    }

    void tellUpdate(List<ServiceInstance> instances, List<InstanceChange> changes) {
        deliveries.tell(l -> l.onUpdate(instances, changes));
    }

    void tellStale(boolean nowStale) {
        deliveries.tell(l -> l.onStale(nowStale));
    }

    void tellError(CairnException error) {
        deliveries.tell(l -> l.onError(error));
    }

    @Override
    public String toString() {
        ServiceState s = feed.state();
        return "ServiceInstances[" + feed.service() + ": " + s.healthy().size() + " of " + s.all().size()
                + " healthy at revision " + s.revision() + (feed.stale() ? ", stale" : "") + "]";
    }
}
