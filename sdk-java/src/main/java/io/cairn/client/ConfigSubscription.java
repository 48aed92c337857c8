package io.cairn.client;

import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigListener;
import io.cairn.client.config.ConfigSelection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listener's hold on a selection of configs: its listener is told every version until this is
 * closed. All of a client's subscriptions to one selection share one Listen stream, which ends
 * when the last of them closes. Thread-safe.
 */
public final class ConfigSubscription implements AutoCloseable {
    private final ConfigFeed feed;
    private final ListenerQueue<ConfigListener> deliveries;
    private final Configs owner;
    private final CompletableFuture<ConfigSubscription> ready = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    ConfigSubscription(ConfigFeed feed, ConfigListener listener, Executor listeners, Configs owner) {
        this.feed = feed;
        this.deliveries = new ListenerQueue<>(listener, listeners, "a config listener failed");
        this.owner = owner;
    }

    public ConfigSelection selection() {
        return feed.selection();
    }

    /**
     * Completes with this subscription once its listener has been told the current version of
     * each config selected (from the snapshot files when the cluster cannot be reached); fails
     * when the listen is refused.
     */
    public CompletableFuture<ConfigSubscription> ready() {
        return ready;
    }

    /** The last version received of each config selected, deleted ones left out; perhaps ahead of what the listener has been told yet. */
    public Map<ConfigKey, Config> configs() {
        return feed.current();
    }

    /** The last version received of one config selected, deleted or not; null for none. */
    Config latest(ConfigKey key) {
        return feed.latest(key);
    }

    /** Whether the cluster cannot be reached right now, so the versions may be out of date. */
    public boolean stale() {
        return feed.stale();
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Stops the subscription; its listener is told nothing more (but for a call under way). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            deliveries.stop();
            owner.release(feed, this);
        }
    }

    /** Tells the listener, then the client's receipts whether it took the version. */
    void tellConfig(Config config) {
        deliveries.tell(l -> {
            try {
                l.onConfig(config);
            } catch (RuntimeException | Error e) {
                owner.told(this, config, e);
                throw e;
            }
            owner.told(this, config, null);
        });
    }

    /** Completes {@link #ready()} once the listener has been told what was queued before. */
    void tellReady() {
        deliveries.tell(l -> ready.complete(this));
    }

    void tellStale(boolean nowStale) {
        deliveries.tell(l -> l.onStale(nowStale));
    }

    void tellError(CairnException error) {
        ready.completeExceptionally(error);
        deliveries.tell(l -> l.onError(error));
    }

    @Override
    public String toString() {
        return "ConfigSubscription[" + feed.selection() + " at revision " + feed.revision() + (feed.stale() ? ", stale" : "") + "]";
    }
}
