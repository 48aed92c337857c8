package io.cairn.server.storage.mvcc;

import com.google.protobuf.ByteString;
import io.cairn.server.storage.KeyRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory index from user key to its {@link KeyIndex}, ordered as etcd orders keys
 * (unsigned bytes). Rebuilt from the revisions database at start-up.
 */
final class TreeIndex {
    /** One key's answer to a range: the key and the revision holding its value. */
    record Hit(ByteString key, Revision revision) {
    }

    private final ConcurrentSkipListMap<ByteString, KeyIndex> tree =
            new ConcurrentSkipListMap<>(KeyRange.ORDER);

    void put(ByteString key, Revision rev) {
        tree.computeIfAbsent(key, KeyIndex::new).put(rev);
    }

    void tombstone(ByteString key, Revision rev) {
        KeyIndex ki = tree.get(key);
        if (ki == null) {
            throw new IllegalStateException("tombstone on an unknown key: " + key.toStringUtf8());
        }
        ki.tombstone(rev);
    }

    /** Takes back the newest revision of {@code key} (see {@link KeyIndex#revert}). */
    void revert(ByteString key, Revision rev, boolean tombstone) {
        KeyIndex ki = tree.get(key);
        if (ki == null) {
            throw new IllegalStateException("revert on an unknown key: " + key.toStringUtf8());
        }
        ki.revert(rev, tombstone);
        if (ki.isEmpty()) {
            tree.remove(key, ki);
        }
    }

    /** Whether {@code rev} is one of the revisions the index keeps for {@code key}. */
    boolean holds(ByteString key, Revision rev) {
        KeyIndex ki = tree.get(key);
        return ki != null && ki.holds(rev);
    }

    Revision get(ByteString key, long atRev) {
        KeyIndex ki = tree.get(key);
        return ki == null ? null : ki.get(atRev);
    }

    /**
     * The keys alive at {@code atRev} in key order.
     *
     * @param end null for {@code key} alone, empty for every key from {@code key} on, otherwise
     *            the exclusive end of the range
     */
    List<Hit> range(ByteString key, ByteString end, long atRev) {
        if (end == null) {
            Revision rev = get(key, atRev);
            return rev == null ? List.of() : List.of(new Hit(key, rev));
        }
        NavigableMap<ByteString, KeyIndex> span;
        if (end.isEmpty()) {
            span = tree.tailMap(key, true);
        } else if (KeyRange.ORDER.compare(key, end) >= 0) {
            return List.of();
        } else {
            span = tree.subMap(key, true, end, false);
        }
        List<Hit> hits = new ArrayList<>();
        for (KeyIndex ki : span.values()) {
            Revision rev = ki.get(atRev);
            if (rev != null) {
                hits.add(new Hit(ki.key(), rev));
            }
        }
        return hits;
    }

    /** Compacts every key at {@code atRev}; returns the revisions at or below it that stay. */
    Set<Revision> compact(long atRev) {
        Set<Revision> keep = new HashSet<>();
        for (KeyIndex ki : tree.values()) {
            ki.compact(atRev, keep);
            if (ki.isEmpty()) {
                tree.remove(ki.key(), ki);
            }
        }
        return keep;
    }

    int size() {
        return tree.size();
    }
}
