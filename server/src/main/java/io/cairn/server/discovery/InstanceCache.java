package io.cairn.server.discovery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import io.cairn.api.discovery.Instance;
import io.cairn.api.etcd.KeyValue;

/**
 * Instances as {@link InstanceCodec} decodes them, kept by key and mod revision. Lookups,
 * subscriptions and the census read the same stored values again and again (a lookup of 100
 * instances, a change and its previous value told to 1,000 subscribers); parsing the JSON each
 * time was most of their cost. In one raft history a key's mod revision names one write, so an
 * entry is the instance that write stored; the lease and value size are checked as well, for
 * cheap insurance. One per member: another cluster's keyspace may hold other values at the same
 * keys and revisions.
 */
public final class InstanceCache {
    private final Cache<Written, Entry> decoded;

    /** One write of a key. */
    private record Written(ByteString key, long modRevision) {
    }

    /** The instance decoded from a value of {@code valueSize} bytes. */
    private record Entry(int valueSize, Instance instance) {
    }

    public InstanceCache(long maxEntries) {
        // evictions run on the caller's thread, never on the shared fork-join pool
        this.decoded = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    /** As {@link InstanceCodec#decode(String, KeyValue)}. */
    public Instance decode(String namespace, KeyValue kv) {
        Written at = new Written(kv.getKey(), kv.getModRevision());
        Entry e = decoded.getIfPresent(at);
        if (e != null && e.instance.getLease() == kv.getLease() && e.valueSize == kv.getValue().size()
                && e.instance.getNamespace().equals(namespace)) {
            return e.instance;
        }
        Instance i = InstanceCodec.decode(namespace, kv);
        if (i != null) {
            decoded.put(at, new Entry(kv.getValue().size(), i));
        }
        return i;
    }

    /** The instance a key-value anywhere in the registry holds, or null if it holds none. */
    public Instance decode(KeyValue kv) {
        String namespace = RegistryKeys.namespaceOf(kv.getKey());
        return namespace == null ? null : decode(namespace, kv);
    }
}
