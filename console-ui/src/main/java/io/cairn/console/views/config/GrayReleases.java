package io.cairn.console.views.config;

import io.cairn.client.Client;
import io.cairn.client.Get;
import io.cairn.client.KeyValue;
import io.cairn.client.config.ConfigKey;
import io.cairn.console.cluster.CairnErrors;
import java.util.HashSet;
import java.util.Set;

/**
 * Which configs of a namespace have a gray release under way, for the config list's badge.
 *
 * <p>The config API answers that one config at a time (GetGray), a call per row. The keyspace
 * layout that config.proto documents for every etcd client has each release under way at
 * {@code /cairn/config-gray/<namespace>/<group>/<data-id>}, so one keys-only range read finds
 * them all; reading it takes the same permission as reading the configs.
 *
 * @param keys           the configs with a gray release under way
 * @param unknownBecause why they could not be read (the cluster's error); null when they were
 */
public record GrayReleases(Set<ConfigKey> keys, String unknownBecause) {
    private static final String PREFIX = "/cairn/config-gray/";

    /** Before anything was read: no badges. */
    public static final GrayReleases NONE = new GrayReleases(Set.of(), null);

    public static GrayReleases in(Client client, String namespace) {
        String prefix = PREFIX + namespace + "/";
        try {
            Set<ConfigKey> keys = new HashSet<>();
            for (KeyValue kv : client.kv().sync().get(Get.key(prefix).prefix().keysOnly()).kvs()) {
                String[] groupAndDataId = kv.keyString().substring(prefix.length()).split("/", 2);
                if (groupAndDataId.length == 2 && isName(groupAndDataId[0]) && isName(groupAndDataId[1])) {
                    keys.add(new ConfigKey(namespace, groupAndDataId[0], groupAndDataId[1]));
                }
                // any other key there was put by hand through the KV API: it names no config, so no badge
            }
            return new GrayReleases(Set.copyOf(keys), null);
        } catch (RuntimeException e) {
            return new GrayReleases(Set.of(), CairnErrors.describe(e));
        }
    }

    private static boolean isName(String name) {
        try {
            ConfigKey.checkName("name", name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean known() {
        return unknownBecause == null;
    }

    public boolean underWay(ConfigKey key) {
        return keys.contains(key);
    }
}
