package io.cairn.server.config;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.cairn.api.config.ConfigReceipt;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.Draft;
import io.cairn.api.config.GrayRelease;
import io.cairn.api.etcd.KeyValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The config center's stored values: its messages as proto3 JSON on one line, so etcdctl shows
 * them readably. Reading is lenient (root may have written anything): a value that does not
 * parse reads as null. The revision is the key's, not the value's.
 */
public final class ConfigJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ConfigJson() {
    }

    public static ByteString encode(MessageOrBuilder m) {
        return ByteString.copyFrom(print(m), StandardCharsets.UTF_8);
    }

    public static String print(MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a config message JSON cannot print", e);
        }
    }

    /** The message a value holds, or null if it holds none. */
    @SuppressWarnings("unchecked")
    public static <T extends Message> T decode(ByteString value, Message.Builder into) {
        try {
            PARSER.merge(value.toStringUtf8(), into);
            return (T) into.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A meta or history entry, with the revision that wrote the version (the metadata names it;
     * a history entry's is its key's); null if it is not one.
     */
    public static ConfigVersion version(KeyValue kv) {
        ConfigVersion v = decode(kv.getValue(), ConfigVersion.newBuilder());
        if (v == null || !v.hasKey()) {
            return null;
        }
        return v.getRevision() != 0 ? v : v.toBuilder().setRevision(kv.getModRevision()).build();
    }

    /**
     * The same, remembered for the last few events: every listener of a config decodes the same
     * event, and a thousand listeners should not parse its JSON a thousand times.
     */
    public static ConfigVersion versionOfEvent(KeyValue kv) {
        Decoded at = new Decoded(kv.getKey(), kv.getModRevision());
        Known known;
        synchronized (RECENT) {
            known = RECENT.get(at);
        }
        // the value too, as members of other clusters may share this JVM (tests); the listeners
        // of one event share its value, so this is mostly a reference comparison
        if (known != null && known.value.equals(kv.getValue())) {
            return known.version;
        }
        ConfigVersion v = version(kv);
        if (v != null) {
            // the content as UTF-8 bytes from now on: each listener's response then copies
            // them instead of encoding the string again (protobuf keeps what this getter made)
            v.getContentBytes();
            synchronized (RECENT) {
                RECENT.put(at, new Known(kv.getValue(), v));
            }
        }
        return v;
    }

    private record Decoded(ByteString key, long revision) {
    }

    private record Known(ByteString value, ConfigVersion version) {
    }

    private static final java.util.Map<Decoded, Known> RECENT = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Decoded, Known> eldest) {
            return size() > 64;
        }
    };

    public static GrayRelease gray(KeyValue kv) {
        GrayRelease g = decode(kv.getValue(), GrayRelease.newBuilder());
        return g == null || !g.hasKey() ? null : g.toBuilder().setRevision(kv.getModRevision()).build();
    }

    /** A draft awaiting review; null if the value holds none. */
    public static Draft draft(KeyValue kv) {
        Draft d = decode(kv.getValue(), Draft.newBuilder());
        return d == null || !d.hasKey() ? null : d;
    }

    /** A client's receipt; null if the value holds none. */
    public static ConfigReceipt receipt(KeyValue kv) {
        ConfigReceipt r = decode(kv.getValue(), ConfigReceipt.newBuilder());
        return r == null || !r.hasKey() ? null : r;
    }

    /** The MD5 of a schema, or "" for none. */
    public static String md5OrEmpty(String content) {
        return content.isEmpty() ? "" : md5(content);
    }

    /** Lower-case hex MD5 of the UTF-8 bytes, as Nacos and Apollo clients compare it. */
    public static String md5(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
