package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.WatchCreateRequest;

/** What to watch: a key, a range or a prefix, from a revision, with etcd's watch options. */
public final class WatchKey {
    private final WatchCreateRequest.Builder r = WatchCreateRequest.newBuilder();

    private WatchKey(ByteString key) {
        r.setKey(key);
    }

    public static WatchKey key(String key) {
        return new WatchKey(Keys.bytes(key));
    }

    public static WatchKey key(ByteString key) {
        return new WatchKey(key);
    }

    /** Keys in [key, end). */
    public static WatchKey range(ByteString key, ByteString end) {
        WatchKey w = new WatchKey(key);
        w.r.setRangeEnd(end);
        return w;
    }

    public WatchKey prefix() {
        r.setRangeEnd(Keys.prefixEnd(r.getKey()));
        return this;
    }

    public WatchKey fromKey() {
        r.setRangeEnd(Keys.FROM_KEY);
        return this;
    }

    /** Delivers the history from this revision on (inclusive) before new events. */
    public WatchKey fromRevision(long revision) {
        r.setStartRevision(revision);
        return this;
    }

    public WatchKey prevKv() {
        r.setPrevKv(true);
        return this;
    }

    public WatchKey noPut() {
        r.addFilters(WatchCreateRequest.FilterType.NOPUT);
        return this;
    }

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
