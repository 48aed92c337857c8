package io.cairn.server.lease;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcd.KeyValue;
import io.cairn.server.command.LeaseRecord;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.KeyRange;
import io.cairn.server.storage.Schema;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The granted leases and the keys attached to each, as raft has agreed on them. Changed only by
 * the apply thread (in key order, so every member changes it alike); read from any thread.
 * Which keys a lease holds is not stored: it follows from the keyspace and is rebuilt from it
 * at start-up.
 */
public final class LeaseStore implements io.cairn.server.apply.KeyLeases {
    /** One lease: its granted TTL, the remaining TTL of its last checkpoint (0: none), its keys. */
    public record Lease(long id, long ttl, long remainingTtl, NavigableSet<ByteString> keys) {
        Lease withRemaining(long remaining) {
            return new Lease(id, ttl, remaining, keys);
        }
    }

    private final ConcurrentSkipListMap<Long, Lease> leases = new ConcurrentSkipListMap<>();
    private final Map<ByteString, Long> keyLease = new ConcurrentHashMap<>();

    /** Loads the leases, then attaches the live keys of {@code keyspace} that name one. */
    public void reload(Backend backend, List<KeyValue> keyspace) {
        leases.clear();
        keyLease.clear();
        for (Map.Entry<byte[], byte[]> e : backend.scan(Schema.LEASES)) {
            try {
                LeaseRecord r = LeaseRecord.parseFrom(e.getValue());
                leases.put(r.getId(), new Lease(r.getId(), r.getTtl(), r.getRemainingTtl(), newKeySet()));
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("corrupt lease record", ex);
            }
        }
        for (KeyValue kv : keyspace) {
            if (kv.getLease() != 0) {
                attach(kv.getKey(), kv.getLease());
            }
        }
    }

    @Override
    public boolean exists(long id) {
        return leases.containsKey(id);
    }

    public Lease get(long id) {
        return leases.get(id);
    }

    /** Every lease, by id. */
    public List<Lease> all() {
        return new ArrayList<>(leases.values());
    }

    public void grant(WriteBatch batch, long id, long ttl) {
        if (leases.containsKey(id)) {
            throw ServerError.LEASE_EXIST.exception();
        }
        Lease lease = new Lease(id, ttl, 0, newKeySet());
        leases.put(id, lease);
        batch.onRollback(() -> leases.remove(id));
        write(batch, lease);
    }

    /** Forgets a lease; its keys must already be deleted. Returns the lease, or throws if unknown. */
    public Lease remove(WriteBatch batch, long id) {
        Lease lease = leases.remove(id);
        if (lease == null) {
            throw ServerError.LEASE_NOT_FOUND.exception();
        }
        for (ByteString key : lease.keys()) {
            keyLease.remove(key, id);
        }
        batch.onRollback(() -> {
            leases.put(id, lease);
            lease.keys().forEach(key -> keyLease.put(key, id));
        });
        batch.delete(Schema.LEASES, key(id));
        return lease;
    }

    /** Records how long a lease had left; leases that are gone are skipped. */
    public void checkpoint(WriteBatch batch, long id, long remainingTtl) {
        Lease lease = leases.get(id);
        if (lease != null && lease.remainingTtl() != remainingTtl) {
            Lease updated = lease.withRemaining(remainingTtl);
            leases.put(id, updated);
            batch.onRollback(() -> leases.put(id, lease));
            write(batch, updated);
        }
    }

    /** A key was written with {@code lease} (0 for none): it moves to that lease. */
    @Override
    public void keyPut(ByteString key, long lease) {
        Long previous = lease == 0 ? keyLease.remove(key) : keyLease.put(key, lease);
        if (previous != null && previous != lease) {
            Lease old = leases.get(previous);
            if (old != null) {
                old.keys().remove(key);
            }
        }
        if (lease != 0) {
            attach(key, lease);
        }
    }

    @Override
    public void keyDeleted(ByteString key) {
        Long previous = keyLease.remove(key);
        if (previous != null) {
            Lease old = leases.get(previous);
            if (old != null) {
                old.keys().remove(key);
            }
        }
    }

    private void attach(ByteString key, long id) {
        Lease lease = leases.get(id);
        if (lease != null) {
            keyLease.put(key, id);
            lease.keys().add(key);
        }
    }

    private static NavigableSet<ByteString> newKeySet() {
        return new ConcurrentSkipListSet<>(KeyRange.ORDER);
    }

    private static void write(WriteBatch batch, Lease lease) {
        batch.put(Schema.LEASES, key(lease.id()), LeaseRecord.newBuilder()
                .setId(lease.id()).setTtl(lease.ttl()).setRemainingTtl(lease.remainingTtl()).build().toByteArray());
    }

    private static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }
}
