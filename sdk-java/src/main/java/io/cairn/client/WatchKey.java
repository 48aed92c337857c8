package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.WatchCreateRequest;

/** What to watch: a key, a range or a prefix, from a revision, with etcd's watch options. */
public final class WatchKey {
    private final WatchCreateRequest.Builder r = WatchCreateRequest.newBuilder();

    private WatchKey(ByteString key) {
        r.setKey(key);
    }

    /** The key {@code key} (UTF-8), alone unless a range is given. */
    public static WatchKey key(String key) {
        return new WatchKey(Keys.bytes(key));
    }

    /** The key {@code key}, alone unless a range is given. */
    public static WatchKey key(Bytes key) {
        return new WatchKey(key.unwrap());
    }

    /** Keys in [key, end). */
    public static WatchKey range(Bytes key, Bytes end) {
        WatchKey w = new WatchKey(key.unwrap());
        w.r.setRangeEnd(end.unwrap());
        return w;
    }

    /** Every key starting with the key. */
    public WatchKey prefix() {
        r.setRangeEnd(Keys.prefixEnd(r.getKey()));
        return this;
    }

    /** Every key from the key on. */
    public WatchKey fromKey() {
        r.setRangeEnd(Keys.FROM_KEY.unwrap());
        return this;
    }

    /** Delivers the history from this revision on (inclusive) before new events. */
    public WatchKey fromRevision(long revision) {
        r.setStartRevision(revision);
        return this;
    }

    /** Each event carries the key as it was before the change. */
    public WatchKey prevKv() {
        r.setPrevKv(true);
        return this;
    }

    /** Leaves puts out. */
    public WatchKey noPut() {
        r.addFilters(WatchCreateRequest.FilterType.NOPUT);
        return this;
    }

    /** Leaves deletes out. */
    public WatchKey noDelete() {
        r.addFilters(WatchCreateRequest.FilterType.NODELETE);
        return this;
    }

    WatchCreateRequest request(long startRevision) {
        return r.clone().setStartRevision(startRevision).build();
    }

    long startRevision() {
        return r.getStartRevision();
    }
}
