package io.cairn.spring.config;

import io.cairn.client.config.ConfigKey;
import java.util.Map;
import org.springframework.core.env.MapPropertySource;

/** One config's values in the environment, with the version they are from (0: it did not exist). */
public final class CairnPropertySource extends MapPropertySource {
    private final ConfigKey key;
    private final long version;

    CairnPropertySource(ConfigKey key, long version, Map<String, Object> values) {
        super(CairnConfigDataLocationResolver.PREFIX + key.namespace() + "/" + key.group() + "/" + key.dataId(), values);
        this.key = key;
        this.version = version;
    }

    public ConfigKey key() {
        return key;
    }

    public long version() {
        return version;
    }
}
