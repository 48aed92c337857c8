package io.cairn.spring.config;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.ConfigSubscription;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigListener;
import io.cairn.client.config.ConfigSelection;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;

/**
 * Listens to every config the environment was loaded from, once the application is ready, and
 * publishes a {@link RefreshEvent} when one changes: Spring Cloud then loads the environment
 * again (from Cairn, through {@link CairnConfigDataLoader}), rebinds the
 * {@code @ConfigurationProperties} beans and rebuilds the {@code @RefreshScope} ones.
 */
public class CairnConfigWatcher implements AutoCloseable {
    private static final Log log = LogFactory.getLog(CairnConfigWatcher.class);

    private final Client client;
    private final ConfigurableApplicationContext context;
    private final ApplicationEventPublisher events;
    private ConfigSubscription subscription;

    public CairnConfigWatcher(Client client, ConfigurableApplicationContext context) {
        this.client = client;
        this.context = context;
        this.events = context;
    }

    /** Starts following once the application is ready: Spring Cloud's refresh acts only from then on. */
    @EventListener
    public synchronized void onReady(ApplicationReadyEvent event) {
        if (event.getApplicationContext() != context || subscription != null) {
            return;
        }
        Map<ConfigKey, String> loaded = loadedStates();
        if (loaded.isEmpty()) {
            return;
        }
        subscription = client.config().listen(ConfigSelection.configs(loaded.keySet()), new ConfigListener() {
            @Override
            public void onConfig(Config config) {
                String inUse = loadedStates().get(config.key());
                String now = CairnPropertySource.stateOf(config);
                if (inUse == null || inUse.equals(now)) {
                    return; // the content loaded (the first told), or a config no longer imported
                }
                String what = config.deleted() ? "deleted" : "version " + config.version() + (config.gray() ? " (gray candidate)" : "");
                log.info("Config " + config.key() + " is now " + what + "; refreshing");
                events.publishEvent(new RefreshEvent(CairnConfigWatcher.this, config.key(), "cairn config " + config.key() + " " + what));
            }

            @Override
            public void onError(CairnException error) {
                log.warn("Changes to the configs imported from Cairn are no longer followed: " + error.getMessage());
            }
        });
        log.info("Following " + loaded.size() + " config(s) imported from Cairn for changes");
    }

    /** The configs in the environment, with the content of each it holds ({@link CairnPropertySource#state()}). */
    private Map<ConfigKey, String> loadedStates() {
        Map<ConfigKey, String> states = new HashMap<>();
        for (PropertySource<?> source : context.getEnvironment().getPropertySources()) {
            if (source instanceof CairnPropertySource cairn) {
                states.put(cairn.key(), cairn.state());
            }
        }
        return states;
    }

    /** Stops following as shutdown begins, so no refresh runs in a closing context. */
    @EventListener
    public void onClosed(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
