package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.RangeRequest;

/** What to read: a key, a range, a prefix, at a revision, with etcd's range options. */
public final class Get {
    private final RangeRequest.Builder r = RangeRequest.newBuilder();

    private Get(ByteString key) {
        r.setKey(key);
    }

    public static Get key(String key) {
        return new Get(Keys.bytes(key));
    }

    public static Get key(ByteString key) {
        return new Get(key);
    }

    /** Every key starting with the key. */
    public Get prefix() {
        r.setRangeEnd(Keys.prefixEnd(r.getKey()));
        return this;
    }

    /** Every key from the key on. */
    public Get fromKey() {
        r.setRangeEnd(Keys.FROM_KEY);
        return this;
    }

    /** Keys in [key, end). */
    public Get rangeEnd(String end) {
        r.setRangeEnd(Keys.bytes(end));
        return this;
    }

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

    public Get keysOnly() {
        r.setKeysOnly(true);
        return this;
    }

    public Get countOnly() {
        r.setCountOnly(true);
        return this;
    }

    public Get sortBy(RangeRequest.SortTarget target, RangeRequest.SortOrder order) {
        r.setSortTarget(target).setSortOrder(order);
        return this;
    }

    public Get minModRevision(long revision) {
        r.setMinModRevision(revision);
        return this;
    }

    public Get maxModRevision(long revision) {
        r.setMaxModRevision(revision);
        return this;
    }

    public Get minCreateRevision(long revision) {
        r.setMinCreateRevision(revision);
        return this;
    }

    public Get maxCreateRevision(long revision) {
        r.setMaxCreateRevision(revision);
        return this;
    }

    RangeRequest request() {
        return r.build();
    }
}
