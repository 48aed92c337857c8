package io.cairn.client.config;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a listener listens to: a whole namespace, one group of it, or some configs of one
 * namespace.
 *
 * @param namespace the namespace
 * @param group     one group; empty for the whole namespace or for {@code configs}
 * @param configs   these configs (all in {@code namespace}); empty for a group or the namespace
 */
public record ConfigSelection(String namespace, String group, Set<ConfigKey> configs) {
    /** Copies the set, and checks that it names either a group or configs, all in the namespace. */
    public ConfigSelection {
        ConfigKey.checkName("namespace", namespace);
        Objects.requireNonNull(group, "group");
        if (!group.isEmpty()) {
            ConfigKey.checkName("group", group);
        }
        configs = Set.copyOf(configs);
        if (!group.isEmpty() && !configs.isEmpty()) {
            throw new IllegalArgumentException("a selection names a group or configs, not both");
        }
        for (ConfigKey key : configs) {
            if (!key.namespace().equals(namespace)) {
                throw new IllegalArgumentException("the configs of a selection are all in one namespace: " + key
                        + " is not in " + namespace);
            }
        }
    }

    /** Every config of the namespace. */
    public static ConfigSelection namespace(String namespace) {
        return new ConfigSelection(namespace, "", Set.of());
    }

    /** Every config of one group of a namespace. */
    public static ConfigSelection group(String namespace, String group) {
        return new ConfigSelection(namespace, ConfigKey.checkName("group", group), Set.of());
    }

    /** Every config of one group of the default namespace. */
    public static ConfigSelection group(String group) {
        return group(ConfigKey.DEFAULT_NAMESPACE, group);
    }

    /** These configs, which must all be in one namespace. */
    public static ConfigSelection configs(ConfigKey... configs) {
        return configs(Arrays.asList(configs));
    }

    /** These configs, which must all be in one namespace. */
    public static ConfigSelection configs(Collection<ConfigKey> configs) {
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("a selection of configs names at least one");
        }
        return new ConfigSelection(configs.iterator().next().namespace(), "", Set.copyOf(configs));
    }

    /** Whether the selection takes in this config. */
    public boolean contains(ConfigKey key) {
        if (!configs.isEmpty()) {
            return configs.contains(key);
        }
        return key.namespace().equals(namespace) && (group.isEmpty() || key.group().equals(group));
    }

    @Override
    public String toString() {
        if (!configs.isEmpty()) {
            Set<String> names = new TreeSet<>();
            configs.forEach(k -> names.add(k.toString()));
            return String.join(",", names);
        }
        return group.isEmpty() ? namespace + "/*" : namespace + "/" + group + "/*";
    }
}
