package io.cairn.spring.config;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.context.config.ConfigDataResourceNotFoundException;
import org.springframework.boot.logging.DeferredLogFactory;

/**
 * Reads a config from Cairn (from the client's snapshot file when the cluster cannot be reached)
 * into a property source. A config that does not exist fails the start unless its import is
 * {@code optional:}; then it loads as empty, and is watched all the same, so publishing it later
 * refreshes the application.
 */
public class CairnConfigDataLoader implements ConfigDataLoader<CairnConfigDataResource> {
    private final Log log;

    public CairnConfigDataLoader(DeferredLogFactory logs) {
        this.log = logs.getLog(CairnConfigDataLoader.class);
    }

    @Override
    public ConfigData load(ConfigDataLoaderContext context, CairnConfigDataResource resource) {
        if (resource.isSwitchedOff()) {
            return ConfigData.EMPTY;
        }
        Client client = context.getBootstrapContext().get(Client.class);
        Config config;
        try {
            config = client.config().sync().get(resource.key());
        } catch (CairnException e) {
            if (e.code() == CairnException.Code.NOT_FOUND) {
                if (!resource.optional()) {
                    throw new ConfigDataResourceNotFoundException(resource, e);
                }
                log.info("Config " + resource + " does not exist; watching for it");
                return new ConfigData(List.of(new CairnPropertySource(resource.key(), 0, "", Map.of())));
            }
            if (resource.optional()) {
                log.warn("Config " + resource + " could not be loaded, and no snapshot of it is kept here: " + e.getMessage());
                return new ConfigData(List.of(new CairnPropertySource(resource.key(), 0, "", Map.of())));
            }
            throw new IllegalStateException("Config " + resource + " could not be loaded from Cairn: " + e.getMessage()
                    + " (import it as optional:" + resource + " to start without it)", e);
        }
        if (config.fromSnapshot() && !resource.optional()) {
            throw new IllegalStateException("Config " + resource + " could not be loaded from Cairn, which cannot be reached;"
                    + " a snapshot of version " + config.version() + " is kept here, but only an optional import uses it"
                    + " (import it as optional:" + resource + ")");
        }
        if (config.masked()) {
            // binding "******" as a password would fail later and far from the cause
            throw new IllegalStateException("Config " + resource + " holds secret values this application's user may not "
                    + "reveal: grant its role reveal on namespace " + config.key().namespace()
                    + " (cairnctl config grant ROLE " + config.key().namespace() + " reveal)");
        }
        ConfigValues values;
        try {
            values = resource.format() == null ? config.values() : ConfigValues.parse(resource.format(), config.content());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Config " + resource + " version " + config.version() + " does not parse as "
                    + (resource.format() == null ? config.format() : resource.format()) + ": " + e.getMessage(), e);
        }
        Map<String, Object> map = new LinkedHashMap<>(values.asMap());
        if (config.fromSnapshot()) {
            log.warn("Config " + resource + ": Cairn cannot be reached; using version " + config.version() + " from its snapshot file");
        }
        return new ConfigData(List.of(new CairnPropertySource(resource.key(), config.version(), config.md5(), map)));
    }
}
