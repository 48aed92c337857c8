package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.PutRequest;

/** What to write: a key, its value, and etcd's put options. */
public final class Put {
    private final PutRequest.Builder r = PutRequest.newBuilder();

    private Put(ByteString key, ByteString value) {
        r.setKey(key).setValue(value);
    }

    /** {@code value} under {@code key}, both UTF-8. */
    public static Put key(String key, String value) {
        return new Put(Keys.bytes(key), Keys.bytes(value));
    }

    /** {@code value} under {@code key}. */
    public static Put key(Bytes key, Bytes value) {
        return new Put(key.unwrap(), value.unwrap());
    }

    /** Attaches the key to a lease: it goes when the lease does. */
    public Put lease(long leaseId) {
        r.setLease(leaseId);
        return this;
    }

    /** Answers the key's previous value too. */
    public Put prevKv() {
        r.setPrevKv(true);
        return this;
    }

    /** Keeps the current value (only the lease changes). */
    public Put ignoreValue() {
        r.setIgnoreValue(true).clearValue();
        return this;
    }

    /** Keeps the current lease. */
    public Put ignoreLease() {
        r.setIgnoreLease(true);
        return this;
    }

    PutRequest request() {
        return r.build();
    }
}
