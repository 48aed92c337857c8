package io.cairn.server.discovery;

import com.google.protobuf.ByteString;
import io.cairn.server.errors.ServerError;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where the registry lives in the keyspace: {@code /cairn/registry/<namespace>/<service>} holds a
 * service's settings and {@code /cairn/registry/<namespace>/<service>/<id>} each instance, so a
 * namespace is one prefix (and one key-range permission) and a service's instances another.
 */
public final class RegistryKeys {
    public static final String ROOT = "/cairn/registry/";
    private static final ByteString ROOT_BYTES = ByteString.copyFromUtf8(ROOT);
    /** Names of namespaces, services and instances: safe in a key and in a URL path segment. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@#-]{1,200}");

    private RegistryKeys() {
    }

    /** Refuses a name that cannot be a segment of a registry key. */
    public static String checkName(String what, String name) {
        if (name.isEmpty()) {
            throw ServerError.REGISTRY_INVALID.exception(what + " is empty");
        }
        if (!NAME.matcher(name).matches()) {
            throw ServerError.REGISTRY_INVALID.exception(what + " \"" + abbreviate(name)
                    + "\" must be 1 to 200 of A-Z a-z 0-9 . _ - : @ #");
        }
        return name;
    }

    public static ByteString namespacePrefix(String namespace) {
        return utf8(ROOT + namespace + "/");
    }

    public static ByteString settings(String namespace, String service) {
        return utf8(ROOT + namespace + "/" + service);
    }

    public static ByteString servicePrefix(String namespace, String service) {
        return utf8(ROOT + namespace + "/" + service + "/");
    }

    public static ByteString instance(String namespace, String service, String id) {
        return utf8(ROOT + namespace + "/" + service + "/" + id);
    }

    /** The namespace a key of the registry is in; null for a key outside it. */
    public static String namespaceOf(ByteString key) {
        if (!key.startsWith(ROOT_BYTES)) {
            return null; // most keys: told apart without decoding them (this runs on every applied event)
        }
        String k = key.toStringUtf8();
        int slash = k.indexOf('/', ROOT.length());
        return k.startsWith(ROOT) && slash > ROOT.length() ? k.substring(ROOT.length(), slash) : null;
    }

    /** Whether {@code key} names an instance (not a service's settings, not a key laid out by hand). */
    public static boolean isInstance(ByteString key) {
        String namespace = namespaceOf(key);
        Path path = namespace == null ? null : parse(key, namespace);
        return path != null && path.instanceId() != null;
    }

    /**
     * What a key under a namespace's prefix names: the service and, for an instance, its id;
     * null for a key the registry does not lay out (written by hand, say).
     */
    public static Path parse(ByteString key, String namespace) {
        String k = key.toStringUtf8();
        String prefix = ROOT + namespace + "/";
        if (!k.startsWith(prefix)) {
            return null;
        }
        String[] parts = k.substring(prefix.length()).split("/", -1);
        if (parts.length > 2 || !NAME.matcher(parts[0]).matches()
                || (parts.length == 2 && !NAME.matcher(parts[1]).matches())) {
            return null;
        }
        return new Path(parts[0], parts.length == 2 ? parts[1] : null);
    }

    /** A service, and the instance id within it or null for the service's settings key. */
    public record Path(String service, String instanceId) {
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
