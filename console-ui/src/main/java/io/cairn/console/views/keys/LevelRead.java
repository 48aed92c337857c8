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
        List<String> keys = new ArrayList<>();
        Set<String> partial = new LinkedHashSet<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            GetResponse r = pages.read(from, end, PAGE);
            r.kvs().stream().map(KeyValue::keyString).forEach(keys::add);
            if (!r.more() || r.kvs().isEmpty()) {
                return new LevelRead(keys, partial, false);
            }
            String last = r.kvs().get(r.kvs().size() - 1).keyString();
            String folder = folderOf(parent, last);
            if (folder != null) {
                partial.add(folder);
            }
            from = resumeAfter(parent, last);
            if (end != null && from.compareTo(end) >= 0) {
                return new LevelRead(keys, partial, false);
            }
        }
        return new LevelRead(keys, partial, true);
    }

    /** The child folder of {@code parent} that {@code key} lies in; null when it is a key of this level. */
    static String folderOf(String parent, String key) {
        int slash = key.indexOf('/', parent.length());
        return slash < 0 ? null : key.substring(0, slash + 1);
    }

    /** Where the next page starts: past {@code last}'s folder, or just past {@code last} when it is a key of this level. */
    static Bytes resumeAfter(String parent, String last) {
        String folder = folderOf(parent, last);
        return folder == null ? Bytes.of(last).concat(Keys.FROM_KEY) : Keys.prefixEnd(Bytes.of(folder));
    }
}
