package io.cairn.server.watch;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.server.storage.KeyRange;

/**
 * One watcher: a key or range, the filters and options of its create request, and the next
 * revision it needs. Every revision below {@code nextRevision} has been delivered (or filtered
 * out) and is never delivered again; this is what lets a watcher move between the catch-up and
 * the live path without gaps or repeats.
 */
final class Watcher {
    final long id;
    final KeyRange range;
    final ByteString key;
    /** null: the key alone; empty: every key from {@code key} on; else the exclusive end. */
    final ByteString end;
    final boolean noPut;
    final boolean noDelete;
    final boolean prevKv;
    final boolean progressNotify;
    final boolean fragment;
    final WatchStream stream;
    /** Guarded by the hub's lock once registered. */
    long nextRevision;
    boolean synced;

    Watcher(long id, WatchCreateRequest r, WatchStream stream) {
        this.id = id;
        this.key = r.getKey();
        this.range = KeyRange.of(r.getKey(), r.getRangeEnd());
        this.end = range.end();
        this.noPut = r.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
        this.noDelete = r.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
        this.prevKv = r.getPrevKv();
        this.progressNotify = r.getProgressNotify();
        this.fragment = r.getFragment();
        this.stream = stream;
    }

    boolean isRange() {
        return end != null;
    }

    boolean matches(ByteString k) {
        return range.contains(k);
    }

    /** Whether this watcher wants {@code e}: in range and not filtered out. */
    boolean wants(Event e) {
        if (e.getType() == Event.EventType.PUT ? noPut : noDelete) {
            return false;
        }
        return matches(e.getKv().getKey());
    }

    /** Watchers of the same key or range share the matching (see {@link WatchHub}). */
    Object group() {
        return end == null ? key : java.util.List.of(key, end);
    }
}
