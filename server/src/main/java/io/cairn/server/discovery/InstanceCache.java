package io.cairn.server.discovery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import io.cairn.api.discovery.Instance;
import io.cairn.api.etcd.KeyValue;

/**
 * Instances as {@link InstanceCodec} decodes them, kept by key. Lookups, subscriptions and the
 * census read the same stored values again and again (a lookup of 100 instances, a change told to
 * 1,000 subscribers); parsing the JSON each time was most of their cost. An entry answers only
 * for the key at the mod revision it was decoded from, with the same lease and value size: in one
 * raft history a key's mod revision names one write, so a stale entry is never served, only
 * decoded again. One per member: another cluster's keyspace may hold other values at the same
 * keys and revisions.
 */
public final class InstanceCache {
    private final Cache<ByteString, Entry> decoded;

    /** The instance decoded from a value of {@code valueSize} bytes. */
    private record Entry(int valueSize, Instance instance) {
    }

    public InstanceCache(long maxEntries) {
        // evictions run on the caller's thread, never on the shared fork-join pool
        this.decoded = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    /** As {@link InstanceCodec#decode(String, KeyValue)}. */
    public Instance decode(String namespace, KeyValue kv) {
        Entry e = decoded.getIfPresent(kv.getKey());
        if (e != null && e.instance.getRevision() == kv.getModRevision() && e.instance.getLease() == kv.getLease()
                && e.valueSize == kv.getValue().size() && e.instance.getNamespace().equals(namespace)) {
            return e.instance;
        }
        Instance i = InstanceCodec.decode(namespace, kv);
        if (i != null) {
            decoded.put(kv.getKey(), new Entry(kv.getValue().size(), i));
        }
        return i;
    }

    /** The instance a key-value anywhere in the registry holds, or null if it holds none. */
    public Instance decode(KeyValue kv) {
        String namespace = RegistryKeys.namespaceOf(kv.getKey());
        return namespace == null ? null : decode(namespace, kv);
    }
}
