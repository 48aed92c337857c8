package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.DeleteRangeRequest;

/** What to delete: a key, a range or a prefix. */
public final class Delete {
    private final DeleteRangeRequest.Builder r = DeleteRangeRequest.newBuilder();

    private Delete(ByteString key) {
        r.setKey(key);
    }

    public static Delete key(String key) {
        return new Delete(Keys.bytes(key));
    }

    public static Delete key(ByteString key) {
        return new Delete(key);
    }

    public Delete prefix() {
        r.setRangeEnd(Keys.prefixEnd(r.getKey()));
        return this;
    }

    public Delete fromKey() {
        r.setRangeEnd(Keys.FROM_KEY);
        return this;
    }

    public Delete rangeEnd(String end) {
        r.setRangeEnd(Keys.bytes(end));
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
