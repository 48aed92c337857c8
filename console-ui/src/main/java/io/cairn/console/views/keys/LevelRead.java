package io.cairn.console.views.keys;

import io.cairn.client.Bytes;
import io.cairn.client.Get;
import io.cairn.client.GetResponse;
import io.cairn.client.KeyValue;
import io.cairn.client.Keys;
import io.cairn.client.Kv;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One level of the key tree, read in pages of keys without values. A page that fills up ends
 * inside some folder; the next page starts past that folder, so one large folder (a config
 * center's history) does not hide the siblings after it. A bounded number of pages is read.
 *
 * @param keys    the keys read
 * @param partial folders whose keys were not all read (their counts are lower bounds)
 * @param more    whether the level holds children beyond the pages read
 */
public record LevelRead(List<String> keys, Set<String> partial, boolean more) {
    static final int PAGE = 1000;
    static final int MAX_PAGES = 20;

    /** One page of keys without values: from {@code from} to {@code end} (null: to the keyspace's end). */
    @FunctionalInterface
    public interface Pages {
        GetResponse read(Bytes from, Bytes end, int limit);
    }

    /** {@link #of(String, String, Pages)} with each page read by {@code kv}. */
    public static LevelRead of(String prefix, String parent, Kv.Sync kv) {
        return of(prefix, parent, (from, end, limit) -> {
            Get get = Get.key(from).keysOnly().limit(limit);
            return kv.get(end == null ? get.fromKey() : get.rangeEnd(end));
        });
    }

    /**
     * Reads the keys starting with {@code prefix} ("" for the whole keyspace) as children of
     * {@code parent} (the prefix itself, or the folder a typed prefix lies in).
     */
    public static LevelRead of(String prefix, String parent, Pages pages) {
        Bytes end = prefix.isEmpty() ? null : Keys.prefixEnd(Bytes.of(prefix));
        Bytes from = prefix.isEmpty() ? Keys.FROM_KEY : Bytes.of(prefix);
        int parentSize = Bytes.of(parent).size();
        List<String> keys = new ArrayList<>();
        Set<String> partial = new LinkedHashSet<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            GetResponse r = pages.read(from, end, PAGE);
            r.kvs().stream().map(KeyValue::keyString).forEach(keys::add);
            if (!r.more() || r.kvs().isEmpty()) {
                return new LevelRead(keys, partial, false);
            }
            // paging works on the keys' bytes: a key that is not UTF-8 text would not survive a round trip
            Bytes last = r.kvs().get(r.kvs().size() - 1).key();
            Bytes folder = folderOf(parentSize, last);
            if (folder != null) {
                partial.add(folder.toStringUtf8());
            }
            from = folder == null ? last.concat(Keys.FROM_KEY) : Keys.prefixEnd(folder);
            if (end != null && from.compareTo(end) >= 0) {
                return new LevelRead(keys, partial, false);
            }
        }
        return new LevelRead(keys, partial, true);
    }

    /** The child folder {@code key} lies in (up to and including its next "/" after the parent's bytes); null for a key of this level. */
    static Bytes folderOf(int parentSize, Bytes key) {
        for (int i = parentSize; i < key.size(); i++) {
            if (key.byteAt(i) == '/') {
                byte[] folder = new byte[i + 1];
                System.arraycopy(key.toByteArray(), 0, folder, 0, i + 1);
                return Bytes.of(folder);
            }
        }
        return null;
    }
}
