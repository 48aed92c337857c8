package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.RangeRequest;

/** What to read: a key, a range, a prefix, at a revision, with etcd's range options. */
public final class Get {
    private final RangeRequest.Builder r = RangeRequest.newBuilder();

    private Get(ByteString key) {
        r.setKey(key);
    }

    /** The key {@code key} (UTF-8), alone unless a range is given. */
    public static Get key(String key) {
        return new Get(Keys.bytes(key));
    }

    /** The key {@code key}, alone unless a range is given. */
    public static Get key(Bytes key) {
        return new Get(key.unwrap());
    }

    /** Every key starting with the key. */
    public Get prefix() {
        r.setRangeEnd(Keys.prefixEnd(r.getKey()));
        return this;
    }

    /** Every key from the key on. */
    public Get fromKey() {
        r.setRangeEnd(Keys.FROM_KEY.unwrap());
        return this;
    }

    /** Keys in [key, end). */
    public Get rangeEnd(String end) {
        r.setRangeEnd(Keys.bytes(end));
        return this;
    }

    /** Keys in [key, end). */
    public Get rangeEnd(Bytes end) {
        r.setRangeEnd(end.unwrap());
        return this;
    }

    /** At most {@code limit} keys (0: no limit); {@link GetResponse#more()} says whether some were left out. */
    public Get limit(long limit) {
        r.setLimit(limit);
        return this;
    }

    /** As of this revision (0: the latest). */
    public Get revision(long revision) {
        r.setRevision(revision);
        return this;
    }

    /** From the member's own copy, without asking the leader: faster, maybe stale. */
    public Get serializable() {
        r.setSerializable(true);
        return this;
    }

    /** Keys without their values. */
    public Get keysOnly() {
        r.setKeysOnly(true);
        return this;
    }

    /** Only how many keys the range holds ({@link GetResponse#count()}), none of them. */
    public Get countOnly() {
        r.setCountOnly(true);
        return this;
    }

    /** What to sort by. */
    public enum SortTarget {
        /** The key's bytes. */
        KEY,
        /** The key's version. */
        VERSION,
        /** The key's create revision. */
        CREATE,
        /** The key's last modification revision. */
        MOD,
        /** The value's bytes. */
        VALUE
    }

    /** Which way; NONE keeps etcd's order (by key, ascending). */
    public enum SortOrder {
        /** etcd's own order: by key, ascending. */
        NONE,
        /** Smallest first. */
        ASCEND,
        /** Largest first. */
        DESCEND
    }

    /** Sorted by {@code target} in {@code order} (etcd sorts before it applies the limit). */
    public Get sortBy(SortTarget target, SortOrder order) {
        r.setSortTarget(RangeRequest.SortTarget.valueOf(target.name())).setSortOrder(RangeRequest.SortOrder.valueOf(order.name()));
        return this;
    }

    /** Only keys last written at {@code revision} or later. */
    public Get minModRevision(long revision) {
        r.setMinModRevision(revision);
        return this;
    }

    /** Only keys last written at {@code revision} or earlier. */
    public Get maxModRevision(long revision) {
        r.setMaxModRevision(revision);
        return this;
    }

    /** Only keys created at {@code revision} or later. */
    public Get minCreateRevision(long revision) {
        r.setMinCreateRevision(revision);
        return this;
    }

    /** Only keys created at {@code revision} or earlier. */
    public Get maxCreateRevision(long revision) {
        r.setMaxCreateRevision(revision);
        return this;
    }

    RangeRequest request() {
        return r.build();
    }
}
