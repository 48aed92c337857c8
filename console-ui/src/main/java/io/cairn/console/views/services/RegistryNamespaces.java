package io.cairn.console.views.services;

import java.util.Optional;

/**
 * Discovery namespaces as the registry lays them out in the keyspace: there is no call that lists
 * them, but every instance and service lives under {@code /cairn/registry/<namespace>/<service>},
 * so a namespace is the first segment after {@link #ROOT}.
 */
public final class RegistryNamespaces {
    /** Where the registry keeps its keys (the server's RegistryKeys.ROOT). */
    public static final String ROOT = "/cairn/registry/";

    private RegistryNamespaces() {
    }

    /** The namespace {@code key} belongs to; empty for a key outside the registry or without a service part. */
    public static Optional<String> of(String key) {
        if (!key.startsWith(ROOT)) {
            return Optional.empty();
        }
        int slash = key.indexOf('/', ROOT.length());
        return slash > ROOT.length() ? Optional.of(key.substring(ROOT.length(), slash)) : Optional.empty();
    }

    /** The prefix of everything in {@code namespace}: the next read starts after its end. */
    public static String prefix(String namespace) {
        return ROOT + namespace + "/";
    }
}
