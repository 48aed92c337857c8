package io.cairn.client;

import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigListener;
import io.cairn.client.config.ConfigValues;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One config's current content, parsed into flat keys and values ({@link ConfigValues}) and kept
 * current by a listen until closed: each version replaces the last one as it arrives.
 *
 * <pre>{@code
 * try (ConfigView orders = client.config().sync().view(ConfigKey.of("orders.yaml"))) {
 *     int pool = orders.getInt("db.pool.size", 10);            // db: {pool: {size: 40}}
 *     String first = orders.getString("servers[0]", "localhost");
 * }
 * }</pre>
 *
 * <p>Thread-safe; the reads answer at once from memory. Content that cannot be parsed (which the
 * server does not let in, but another client's format may be newer than this SDK's parser)
 * leaves the last values in place, with a warning; {@link #config()} has it raw.
 */
public final class ConfigView implements AutoCloseable {

    private final ConfigKey key;
    private final ConfigListener then;
    private volatile Config config;
    private volatile ConfigValues values = ConfigValues.EMPTY;
    private volatile ConfigSubscription subscription;

    /** @param then told of each version after the view has taken it; may be null */
    ConfigView(ConfigKey key, ConfigListener then) {
        this.key = key;
        this.then = then;
    }

    void subscribed(ConfigSubscription subscription) {
        this.subscription = subscription;
    }

    /** What the view's subscription is told: the view takes each version, then its own listener is told. */
    ConfigListener updater() {
        return new ConfigListener() {
            @Override
            public void onConfig(Config c) {
                IllegalArgumentException unparsed = take(c);
                if (then != null) {
                    then.onConfig(c);
                }
                if (unparsed != null) { // logged, and reported as not applied in the client's rollout receipt
                    throw unparsed;
                }
            }

            @Override
            public void onStale(boolean stale) {
                if (then != null) {
                    then.onStale(stale);
                }
            }

            @Override
            public void onError(CairnException error) {
                if (then != null) {
                    then.onError(error);
                }
            }
        };
    }

    /** Takes a version; answers why its content does not parse (the values stay those before), or null. */
    private IllegalArgumentException take(Config c) {
        IllegalArgumentException unparsed = null;
        if (c.deleted()) {
            values = ConfigValues.EMPTY;
        } else {
            try {
                values = ConfigValues.of(c);
            } catch (IllegalArgumentException e) {
                unparsed = new IllegalArgumentException("config " + c.key() + " version " + c.version()
                        + " does not parse as " + c.format() + "; keeping the values of the version before: " + e.getMessage(), e);
            }
        }
        config = c;
        return unparsed;
    }

    public ConfigKey key() {
        return key;
    }

    /** Completes with this view once it holds the current version (or knows there is none); fails when the listen is refused. */
    public CompletableFuture<ConfigView> ready() {
        return subscription.ready().thenApply(s -> this);
    }

    /** The version in view; empty before {@link #ready()}, while the config does not exist, or once deleted. */
    public Optional<Config> config() {
        Config c = inView();
        return c == null || c.deleted() ? Optional.empty() : Optional.of(c);
    }

    /**
     * The version in view. A version read from the snapshot files that the cluster then sends
     * again unchanged is not told again; the view answers with the cluster's copy of it then.
     */
    private Config inView() {
        Config c = config;
        Config latest = c == null || !c.fromSnapshot() ? null : subscription.latest(key);
        return latest != null && ConfigFeed.sameVersion(c, latest) ? latest : c;
    }

    /** The version's values; none while there is no version. */
    public ConfigValues values() {
        return values;
    }

    /** The version's content as published; empty while there is none. */
    public String content() {
        return values.content();
    }

    /** Whether the version in view was read from the snapshot files because the cluster could not be reached. */
    public boolean fromSnapshot() {
        Config c = inView();
        return c != null && c.fromSnapshot();
    }

    /** Whether the cluster cannot be reached right now, so the version may be out of date. */
    public boolean stale() {
        return subscription.stale();
    }

    /** @see ConfigValues#getString(String) */
    public Optional<String> getString(String key) {
        return values.getString(key);
    }

    /** @see ConfigValues#getString(String, String) */
    public String getString(String key, String defaultValue) {
        return values.getString(key, defaultValue);
    }

    /** @see ConfigValues#getInt(String, int) */
    public int getInt(String key, int defaultValue) {
        return values.getInt(key, defaultValue);
    }

    /** @see ConfigValues#getLong(String, long) */
    public long getLong(String key, long defaultValue) {
        return values.getLong(key, defaultValue);
    }

    /** @see ConfigValues#getDouble(String, double) */
    public double getDouble(String key, double defaultValue) {
        return values.getDouble(key, defaultValue);
    }

    /** @see ConfigValues#getBoolean(String, boolean) */
    public boolean getBoolean(String key, boolean defaultValue) {
        return values.getBoolean(key, defaultValue);
    }

    /** Stops following the config; the view keeps the last version it had. */
    @Override
    public void close() {
        subscription.close();
    }

    @Override
    public String toString() {
        Config c = inView();
        return "ConfigView[" + key + (c == null ? ", not read yet" : " v" + c.version() + (c.fromSnapshot() ? " from snapshot" : ""))
                + "]";
    }
}
