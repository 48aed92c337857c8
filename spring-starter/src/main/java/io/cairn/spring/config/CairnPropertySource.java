package io.cairn.spring.config;

import io.cairn.client.config.ConfigKey;
import java.util.Map;
import org.springframework.core.env.MapPropertySource;

/**
 * One config's values in the environment, with the version they are from (0: it did not exist)
 * and its content's MD5: a gray release's candidate has the version it would replace, so the
 * content tells it apart.
 */
public final class CairnPropertySource extends MapPropertySource {
    private final ConfigKey key;
    private final long version;
    private final String md5;

    CairnPropertySource(ConfigKey key, long version, String md5, Map<String, Object> values) {
        super(CairnConfigDataLocationResolver.PREFIX + key.namespace() + "/" + key.group() + "/" + key.dataId(), values);
        this.key = key;
        this.version = version;
        this.md5 = md5;
    }

    /** Which content of the config this is: its version and its content's MD5. */
    String state() {
        return version + "/" + md5;
    }

    /** {@link #state()} of a version told by a listen; a deleted config's is a missing one's. */
    static String stateOf(io.cairn.client.config.Config config) {
        return config.deleted() ? "0/" : config.version() + "/" + config.md5();
    }

    public ConfigKey key() {
        return key;
    }

    public long version() {
        return version;
    }
}
