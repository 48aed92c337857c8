package io.cairn.server.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.ServiceSettings;
import io.cairn.api.discovery.Status;
import io.cairn.api.etcd.KeyValue;

/**
 * An instance's value as stored: its fields as proto3 JSON on one line. Reading is lenient, as a
 * value may come from any etcd client: unknown fields are ignored, a missing status reads as UP
 * and a missing weight as 100; the key, not the value, says which instance it is.
 */
public final class InstanceCodec {
    public static final int DEFAULT_WEIGHT = 100;
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private InstanceCodec() {
    }

    /** The value to store: everything but the revision, which the keyspace keeps. */
    public static ByteString encode(Instance instance) {
        return ByteString.copyFromUtf8(print(instance.toBuilder().clearRevision().build()));
    }

    public static ByteString encode(ServiceSettings settings) {
        return ByteString.copyFromUtf8(print(settings));
    }

    /** The instance a key-value under {@code namespace} holds, or null if it holds none. */
    public static Instance decode(String namespace, KeyValue kv) {
        RegistryKeys.Path path = RegistryKeys.parse(kv.getKey(), namespace);
        if (path == null || path.instanceId() == null) {
            return null;
        }
        Instance.Builder b = Instance.newBuilder();
        try {
            PARSER.merge(kv.getValue().toStringUtf8(), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return null;
        }
        if (b.getStatus() == Status.STATUS_UNSPECIFIED || b.getStatus() == Status.UNRECOGNIZED) {
            b.setStatus(Status.UP);
        }
        if (!b.hasWeight()) {
            b.setWeight(DEFAULT_WEIGHT);
        }
        return b.setNamespace(namespace).setService(path.service()).setId(path.instanceId())
                .setLease(kv.getLease()).setRevision(kv.getModRevision()).build();
    }

    /** The settings a service's key holds; defaults for a value that is not settings. */
    public static ServiceSettings decodeSettings(KeyValue kv) {
        ServiceSettings.Builder b = ServiceSettings.newBuilder();
        try {
            PARSER.merge(kv.getValue().toStringUtf8(), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return ServiceSettings.getDefaultInstance();
        }
        return b.build();
    }

    private static String print(com.google.protobuf.MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a registry message that JSON cannot print", e);
        }
    }
}
