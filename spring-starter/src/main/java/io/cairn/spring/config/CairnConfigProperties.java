package io.cairn.spring.config;

import io.cairn.client.config.ConfigKey;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** What {@code spring.config.import=cairn:} loads, and how changes reach the application: {@code spring.cloud.cairn.config.*}. */
@ConfigurationProperties(CairnConfigProperties.PREFIX)
public class CairnConfigProperties {
    public static final String PREFIX = "spring.cloud.cairn.config";

    /** Whether {@code cairn:} imports are loaded and watched. */
    private boolean enabled = true;
    /** The namespace a {@code cairn:} import without one reads from. */
    private String namespace = ConfigKey.DEFAULT_NAMESPACE;
    /** The group a {@code cairn:} import without one reads from. */
    private String group = ConfigKey.DEFAULT_GROUP;
    /**
     * The format of the configs {@code optional:cairn:} loads by the application's name: when
     * set (properties, yaml or json), their data ids carry it as an extension
     * ({@code orders.yaml}, {@code orders-dev.yaml}) and their content is read as it; when not,
     * the data id is the bare name and the content is read in the format it was published with.
     */
    private String format;
    /** Whether a published change refreshes the environment (and the beans bound to it) by itself. */
    private boolean refreshEnabled = true;
    /**
     * Where the last version of each config is kept, so an {@code optional:} import still has
     * its values when the cluster cannot be reached at start-up. Empty for no snapshot files.
     */
    private Path snapshotDir = Path.of(System.getProperty("user.home"), ".cairn", "config-snapshots");

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public boolean isRefreshEnabled() {
        return refreshEnabled;
    }

    public void setRefreshEnabled(boolean refreshEnabled) {
        this.refreshEnabled = refreshEnabled;
    }

    public Path getSnapshotDir() {
        return snapshotDir;
    }

    public void setSnapshotDir(Path snapshotDir) {
        this.snapshotDir = snapshotDir;
    }
}
