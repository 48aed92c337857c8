package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.DeleteRangeRequest;

/** What to delete: a key, a range or a prefix. */
public final class Delete {
    private final DeleteRangeRequest.Builder r = DeleteRangeRequest.newBuilder();

    private Delete(ByteString key) {
        r.setKey(key);
    }

    /** The key {@code key} (UTF-8), alone unless a range is given. */
    public static Delete key(String key) {
        return new Delete(Keys.bytes(key));
    }

    /** The key {@code key}, alone unless a range is given. */
    public static Delete key(Bytes key) {
        return new Delete(key.unwrap());
    }

    /** Every key starting with the key. */
    public Delete prefix() {
        r.setRangeEnd(Keys.prefixEnd(r.getKey()));
        return this;
    }

    /** Every key from the key on. */
    public Delete fromKey() {
        r.setRangeEnd(Keys.FROM_KEY.unwrap());
        return this;
    }

    /** Keys in [key, end). */
    public Delete rangeEnd(String end) {
        r.setRangeEnd(Keys.bytes(end));
        return this;
    }

    /** Keys in [key, end). */
    public Delete rangeEnd(Bytes end) {
        r.setRangeEnd(end.unwrap());
        return this;
    }

    /** Answers the deleted key-values. */
    public Delete prevKv() {
        r.setPrevKv(true);
        return this;
    }

    DeleteRangeRequest request() {
        return r.build();
    }
}
