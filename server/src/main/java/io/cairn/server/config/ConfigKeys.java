package io.cairn.server.config;

import com.google.protobuf.ByteString;
import io.cairn.api.config.ConfigKey;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.KeyRange;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the config center lives in the keyspace (laid out in config.proto): each area is a
 * prefix per namespace, so a namespace's permissions are a few key ranges. Names have no slash,
 * so every key splits back into its parts.
 */
public final class ConfigKeys {
    /** Lower-case hex, a long as 16 digits: as {@code %016x}, which String.format took many times longer to write. */
    private static final HexFormat HEX = HexFormat.of();
    /** Everything the config center owns starts with this: only root may write it directly. */
    public static final ByteString RESERVED = utf8("/cairn/config");
    private static final ByteString RESERVED_END = KeyRange.prefixEnd(RESERVED);
    public static final String DEFAULT_NAMESPACE = "default";
    private static final String CONTENT = "/cairn/config/";
    private static final String META = "/cairn/config-meta/";
    private static final String HISTORY = "/cairn/config-history/";
    private static final String GRAY = "/cairn/config-gray/";
    private static final String AUDIT = "/cairn/config-audit/";
    private static final String NAMESPACES = "/cairn/config-ns/";
    private static final String RECEIPTS = "/cairn/config-receipt/";
    private static final String DRAFTS = "/cairn/config-draft/";
    /** Holds no keys: write permission here is what makes a namespace's reviewer. */
    private static final String REVIEW = "/cairn/config-review/";
    private static final String SECRET_KEYS = "/cairn/config-secret-key/";
    /** Holds no keys: read permission here is what lets a user see a namespace's secrets in clear. */
    private static final String REVEAL = "/cairn/config-reveal/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private ConfigKeys() {
    }

    public static String checkName(String what, String name) {
        if (name.isEmpty()) {
            throw ServerError.CONFIG_INVALID.exception(what + " is empty");
        }
        if (!NAME.matcher(name).matches()) {
            String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
            throw ServerError.CONFIG_INVALID.exception(what + " \"" + shown + "\" must be 1 to 128 of A-Z a-z 0-9 . _ - :");
        }
        return name;
    }

    /** {@code key} with every name checked; an empty namespace means the default one. */
    public static ConfigKey check(ConfigKey key) {
        String ns = key.getNamespace().isEmpty() ? DEFAULT_NAMESPACE : key.getNamespace();
        checkName("namespace", ns);
        checkName("group", key.getGroup());
        checkName("data id", key.getDataId());
        return key.getNamespace().equals(ns) ? key : key.toBuilder().setNamespace(ns).build();
    }

    public static String namespace(String name) {
        return checkName("namespace", name.isEmpty() ? DEFAULT_NAMESPACE : name);
    }

    public static ByteString content(ConfigKey k) {
        return utf8(CONTENT + path(k));
    }

    public static ByteString meta(ConfigKey k) {
        return utf8(META + path(k));
    }

    public static ByteString gray(ConfigKey k) {
        return utf8(GRAY + path(k));
    }

    public static ByteString history(ConfigKey k, long version) {
        return utf8(HISTORY + path(k) + "/" + HEX.toHexDigits(version));
    }

    /** Every kept version of one config. */
    public static ByteString historyPrefix(ConfigKey k) {
        return utf8(HISTORY + path(k) + "/");
    }

    /**
     * What one client applied of one config, on one lease: two clients that call themselves
     * the same (or one restarted on a new lease) do not overwrite each other's receipt.
     */
    public static ByteString receipt(ConfigKey k, String clientId, long lease) {
        return utf8(RECEIPTS + path(k) + "/" + clientId + "@" + Long.toHexString(lease));
    }

    public static boolean isReceipt(ByteString key) {
        return key.startsWith(utf8(RECEIPTS));
    }

    /** Every client's receipt for one config. */
    public static ByteString receiptPrefix(ConfigKey k) {
        return utf8(RECEIPTS + path(k) + "/");
    }

    /** A change to one config awaiting review, named by the revision that stored it. */
    public static ByteString draft(ConfigKey k, long id) {
        return utf8(DRAFTS + path(k) + "/" + HEX.toHexDigits(id));
    }

    /** Every draft of one config. */
    public static ByteString draftPrefix(ConfigKey k) {
        return utf8(DRAFTS + path(k) + "/");
    }

    public static ByteString draftPrefix(String namespace) {
        return utf8(DRAFTS + namespace + "/");
    }

    public static ByteString draftPrefix(String namespace, String group) {
        return utf8(DRAFTS + namespace + "/" + group + "/");
    }

    /** What a namespace's reviewers may write (nothing is there): the permission approving checks. */
    public static ByteString reviewPrefix(String namespace) {
        return utf8(REVIEW + namespace + "/");
    }

    /** A namespace's data key, wrapped by the master key. */
    public static ByteString secretKey(String namespace) {
        return utf8(SECRET_KEYS + namespace);
    }

    public static ByteString secretKeysPrefix() {
        return utf8(SECRET_KEYS);
    }

    /** The namespace a data key's key names. */
    public static String secretKeyNamespace(ByteString key) {
        return key.toStringUtf8().substring(SECRET_KEYS.length());
    }

    /** What may reveal a namespace's secrets may read (nothing is there): the permission a reveal checks. */
    public static ByteString revealPrefix(String namespace) {
        return utf8(REVEAL + namespace + "/");
    }

    /** The {@code n}th audit record written at {@code revision}. */
    public static ByteString audit(String namespace, long revision, int n) {
        String count = Integer.toHexString(n);
        return utf8(AUDIT + namespace + "/" + HEX.toHexDigits(revision) + "." + "0".repeat(Math.max(0, 4 - count.length())) + count);
    }

    public static ByteString namespaceKey(String namespace) {
        return utf8(NAMESPACES + namespace);
    }

    public static ByteString namespacesPrefix() {
        return utf8(NAMESPACES);
    }

    public static ByteString contentPrefix(String namespace) {
        return utf8(CONTENT + namespace + "/");
    }

    public static ByteString metaPrefix(String namespace) {
        return utf8(META + namespace + "/");
    }

    public static ByteString metaPrefix(String namespace, String group) {
        return utf8(META + namespace + "/" + group + "/");
    }

    public static ByteString historyPrefix(String namespace) {
        return utf8(HISTORY + namespace + "/");
    }

    public static ByteString historyPrefix(String namespace, String group) {
        return utf8(HISTORY + namespace + "/" + group + "/");
    }

    public static ByteString grayPrefix(String namespace) {
        return utf8(GRAY + namespace + "/");
    }

    public static ByteString grayPrefix(String namespace, String group) {
        return utf8(GRAY + namespace + "/" + group + "/");
    }

    public static ByteString contentPrefix(String namespace, String group) {
        return utf8(CONTENT + namespace + "/" + group + "/");
    }

    public static ByteString auditPrefix(String namespace) {
        return utf8(AUDIT + namespace + "/");
    }

    /** What a namespace's readers must be able to read, each a prefix. */
    public static List<ByteString> readPrefixes(String namespace) {
        return List.of(contentPrefix(namespace), metaPrefix(namespace), historyPrefix(namespace),
                grayPrefix(namespace), auditPrefix(namespace));
    }

    /** What a namespace's writers must be able to write: the permission the config service checks. */
    public static ByteString writePrefix(String namespace) {
        return contentPrefix(namespace);
    }

    /** The end of the range of keys starting with {@code prefix}. */
    public static ByteString end(ByteString prefix) {
        return KeyRange.prefixEnd(prefix);
    }

    /** Whether [key, end) reaches into the config center's keys. */
    public static boolean touchesReserved(ByteString key, ByteString end) {
        return KeyRange.of(key, end).overlaps(RESERVED, RESERVED_END);
    }

    /** The config a meta or gray key names (namespace, group, data id after the area's prefix). */
    public static ConfigKey parse(ByteString key) {
        String k = key.toStringUtf8();
        String rest;
        if (k.startsWith(META)) {
            rest = k.substring(META.length());
        } else if (k.startsWith(GRAY)) {
            rest = k.substring(GRAY.length());
        } else if (k.startsWith(CONTENT)) {
            rest = k.substring(CONTENT.length());
        } else {
            return null;
        }
        String[] parts = rest.split("/", -1);
        if (parts.length != 3) {
            return null;
        }
        return ConfigKey.newBuilder().setNamespace(parts[0]).setGroup(parts[1]).setDataId(parts[2]).build();
    }

    public static boolean isGray(ByteString key) {
        return key.startsWith(utf8(GRAY));
    }

    /** A config as messages name it: namespace/group/data-id. */
    public static String describe(ConfigKey k) {
        return path(k);
    }

    private static String path(ConfigKey k) {
        return k.getNamespace() + "/" + k.getGroup() + "/" + k.getDataId();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }
}
