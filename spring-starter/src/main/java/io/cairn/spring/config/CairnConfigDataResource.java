package io.cairn.spring.config;

import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Format;
import java.util.Objects;
import org.springframework.boot.context.config.ConfigDataResource;

/** One config a {@code cairn:} import loads. */
public final class CairnConfigDataResource extends ConfigDataResource {
    private final ConfigKey key;
    private final Format format;
    private final boolean optional;

    /**
     * @param format the format to read the content as; null for the one it was published with
     */
    CairnConfigDataResource(ConfigKey key, Format format, boolean optional) {
        super(optional);
        this.key = key;
        this.format = format;
        this.optional = optional;
    }

    /** What a {@code cairn:} import stands for while the starter or its config part is switched off: nothing to load. */
    static CairnConfigDataResource switchedOff() {
        return new CairnConfigDataResource(null, null, true);
    }

    /** Whether this is {@link #switchedOff()}. */
    boolean isSwitchedOff() {
        return key == null;
    }

    /** Whether the import said {@code optional:}: a missing config loads as empty then. */
    boolean optional() {
        return optional;
    }

    public ConfigKey key() {
        return key;
    }

    Format format() {
        return format;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CairnConfigDataResource r && Objects.equals(r.key, key) && r.format == format && r.optional == optional;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, format, optional);
    }

    @Override
    public String toString() {
        return key == null ? CairnConfigDataLocationResolver.PREFIX + " (switched off)" : CairnConfigDataLocationResolver.PREFIX + key.namespace() + "/" + key.group() + "/" + key.dataId();
    }
}
