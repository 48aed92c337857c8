package io.cairn.console.views.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.client.Bytes;
import io.cairn.client.KeyValue;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeyHistoryTest {
    /** The key "/k" written at each revision given: the store as of a revision is the last write at or before it. */
    private static TreeMap<Long, KeyValue> writtenAt(long... revisions) {
        TreeMap<Long, KeyValue> store = new TreeMap<>();
        for (int v = 0; v < revisions.length; v++) {
            store.put(revisions[v], new KeyValue(Bytes.of("/k"), Bytes.of("v" + (v + 1)), revisions[0], revisions[v], v + 1, 0));
        }
        return store;
    }

    private static List<Long> versions(KeyHistory.Versions h) {
        return h.versions().stream().map(KeyValue::version).toList();
    }

    @Test
    void walksBackToTheFirstVersion() {
        TreeMap<Long, KeyValue> store = writtenAt(3, 7, 8, 12);
        KeyHistory.Versions h = KeyHistory.walkBack(store.lastEntry().getValue(), r -> {
            var e = store.floorEntry(r);
            return e == null ? null : e.getValue();
        });
        assertEquals(List.of(4L, 3L, 2L, 1L), versions(h));
        assertEquals("", h.note());
    }

    @Test
    void stopsAtTwentyVersions() {
        long[] revisions = new long[30];
        for (int i = 0; i < revisions.length; i++) {
            revisions[i] = i + 2;
        }
        TreeMap<Long, KeyValue> store = writtenAt(revisions);
        KeyHistory.Versions h = KeyHistory.walkBack(store.lastEntry().getValue(), r -> store.floorEntry(r).getValue());
        assertEquals(KeyHistory.MAX_VERSIONS, h.versions().size());
        assertEquals(30L, h.versions().get(0).version());
    }

    @Test
    void saysWhenOlderVersionsAreCompacted() {
        TreeMap<Long, KeyValue> store = writtenAt(3, 7, 8, 12);
        KeyHistory.Versions h = KeyHistory.walkBack(store.lastEntry().getValue(), r -> {
            if (r < 8) {
                throw new IllegalStateException("etcdserver: mvcc: required revision has been compacted");
            }
            return store.floorEntry(r).getValue();
        });
        assertEquals(List.of(4L, 3L), versions(h));
        assertEquals("Older versions compacted", h.note());
    }

    @Test
    void otherFailuresAreThrown() {
        TreeMap<Long, KeyValue> store = writtenAt(3, 7);
        assertThrows(IllegalStateException.class, () -> KeyHistory.walkBack(store.lastEntry().getValue(), r -> {
            throw new IllegalStateException("etcdserver: permission denied");
        }));
    }
}
