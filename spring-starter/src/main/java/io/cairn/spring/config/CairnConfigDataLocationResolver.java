package io.cairn.spring.config;

import io.cairn.client.Client;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Format;
import io.cairn.spring.CairnClients;
import io.cairn.spring.CairnProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.BootstrapRegistry;
import org.springframework.boot.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationNotFoundException;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.Profiles;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;

/**
 * Resolves {@code cairn:} imports. {@code cairn:} alone names the config called after
 * {@code spring.application.name} (and {@code <name>-<profile>} for each active profile) in the
 * configured namespace and group; {@code cairn:<dataId>}, {@code cairn:<group>/<dataId>} and
 * {@code cairn:<namespace>/<group>/<dataId>} name one config. The application's {@link Client}
 * is made here, once, and becomes its {@code cairnClient} bean.
 */
public class CairnConfigDataLocationResolver implements ConfigDataLocationResolver<CairnConfigDataResource>, Ordered {
    public static final String PREFIX = "cairn:";
    static final String CLIENT_BEAN = "cairnClient";

    @Override
    public int getOrder() {
        return -1;
    }

    /** Every {@code cairn:} location, switched off or not: Boot fails a start on a location nobody resolves. */
    @Override
    public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        return location.hasPrefix(PREFIX);
    }

    /** Whether the starter and its config part are on; when off, a {@code cairn:} import loads nothing. */
    private static boolean enabled(Binder binder) {
        return binder.bind(CairnProperties.PREFIX + ".enabled", Boolean.class).orElse(true)
                && binder.bind(CairnConfigProperties.PREFIX + ".enabled", Boolean.class).orElse(true);
    }

    @Override
    public List<CairnConfigDataResource> resolve(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        if (!enabled(context.getBinder())) {
            return List.of(CairnConfigDataResource.switchedOff()); // none would fail a start on a location not found
        }
        CairnConfigProperties config = bindConfig(context.getBinder());
        registerClient(context, config);
        String named = location.getNonPrefixedValue(PREFIX).trim();
        if (named.isEmpty()) {
            return List.of(byName(context, config, "", location));
        }
        String[] parts = named.split("/", -1);
        ConfigKey key;
        try {
            key = switch (parts.length) {
                case 1 -> new ConfigKey(config.getNamespace(), config.getGroup(), parts[0]);
                case 2 -> new ConfigKey(config.getNamespace(), parts[0], parts[1]);
                case 3 -> new ConfigKey(parts[0], parts[1], parts[2]);
                default -> throw new IllegalArgumentException("expected cairn:<namespace>/<group>/<dataId>");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("spring.config.import " + location + ": " + e.getMessage(), e);
        }
        return List.of(new CairnConfigDataResource(key, null, location.isOptional()));
    }

    @Override
    public List<CairnConfigDataResource> resolveProfileSpecific(ConfigDataLocationResolverContext context,
                                                                ConfigDataLocation location, Profiles profiles) {
        if (!location.getNonPrefixedValue(PREFIX).trim().isEmpty() || !enabled(context.getBinder())) {
            return List.of();
        }
        CairnConfigProperties config = bindConfig(context.getBinder());
        List<CairnConfigDataResource> resources = new ArrayList<>();
        for (String profile : profiles.getActive()) {
            // a profile's own config is optional, as application-<profile>.yml is
            resources.add(byName(context, config, "-" + profile, location.isOptional() ? location : ConfigDataLocation.of(
                    ConfigDataLocation.OPTIONAL_PREFIX + location)));
        }
        return resources;
    }

    private static CairnConfigDataResource byName(ConfigDataLocationResolverContext context, CairnConfigProperties config,
                                                  String suffix, ConfigDataLocation location) {
        String name = context.getBinder().bind("spring.application.name", String.class).orElse(null);
        if (!StringUtils.hasText(name)) {
            throw new ConfigDataLocationNotFoundException(location, "spring.application.name is not set, so "
                    + location + " names no config; set it, or import cairn:<namespace>/<group>/<dataId>", null);
        }
        Format format = null;
        String dataId = name + suffix;
        if (StringUtils.hasText(config.getFormat())) {
            format = parseFormat(config.getFormat());
            dataId += "." + (format == Format.YAML ? "yaml" : format.name().toLowerCase(Locale.ROOT));
        }
        return new CairnConfigDataResource(new ConfigKey(config.getNamespace(), config.getGroup(), dataId), format,
                location.isOptional());
    }

    static Format parseFormat(String text) {
        String f = text.trim().toUpperCase(Locale.ROOT);
        if (f.equals("YML")) {
            return Format.YAML;
        }
        try {
            Format format = Format.valueOf(f);
            if (format == Format.PROPERTIES || format == Format.YAML || format == Format.JSON) {
                return format;
            }
        } catch (IllegalArgumentException e) {
            // told below
        }
        throw new IllegalStateException(CairnConfigProperties.PREFIX + ".format is properties, yaml or json, not " + text);
    }

    private static CairnConfigProperties bindConfig(Binder binder) {
        return binder.bind(CairnConfigProperties.PREFIX, CairnConfigProperties.class).orElseGet(CairnConfigProperties::new);
    }

    /**
     * The client, made once for the whole start (and reused by a refresh, which runs in the same
     * bootstrap context), handed to the application context as a bean it closes.
     */
    private static void registerClient(ConfigDataLocationResolverContext context, CairnConfigProperties config) {
        ConfigurableBootstrapContext bootstrap = context.getBootstrapContext();
        if (bootstrap.isRegistered(Client.class)) {
            return;
        }
        Binder binder = context.getBinder();
        CairnProperties properties = CairnClients.bind(binder);
        String name = binder.bind("spring.application.name", String.class).orElse(null);
        Path snapshots = CairnClients.snapshotDir(config, name);
        bootstrap.registerIfAbsent(Client.class, BootstrapRegistry.InstanceSupplier.from(() -> CairnClients.build(properties, name, snapshots)));
        bootstrap.addCloseListener(event -> {
            ConfigurableListableBeanFactory beans = event.getApplicationContext().getBeanFactory();
            if (!beans.containsSingleton(CLIENT_BEAN)) {
                Client client = event.getBootstrapContext().get(Client.class);
                beans.registerSingleton(CLIENT_BEAN, client);
                ((DefaultSingletonBeanRegistry) beans).registerDisposableBean(CLIENT_BEAN, client::close);
            }
        });
    }
}
