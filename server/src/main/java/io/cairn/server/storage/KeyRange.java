package io.cairn.server.storage;

import com.google.protobuf.ByteString;
import java.util.Comparator;

/**
 * etcd's notion of a key range, the one every part of a member reads requests with (checks,
 * apply, watch and auth), so they can never disagree on what a request touches. In a request an
 * empty {@code range_end} means the key alone, {@code "\0"} every key from the key on, and
 * anything else the exclusive end; a prefix is the key with its prefix end. Worked example:
 * ("a", "") is "a"; ("a", "\0") is "a" and every key after it; ("a", "b") is "a", "a\0", "ab"…
 * but not "b"; ("b", "a") is empty.
 *
 * @param key the first key
 * @param end null for the key alone, empty for every key from {@code key} on, otherwise the
 *            exclusive end (the convention of the store's own range reads)
 */
public record KeyRange(ByteString key, ByteString end) {
    /**
     * etcd's key order: unsigned bytes, a prefix first. protobuf's own comparator boxes each byte
     * through two iterators, and the index compares keys some twenty times per lookup.
     */
    public static final Comparator<ByteString> ORDER = KeyRange::compare;
    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    private static int compare(ByteString a, ByteString b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int c = Byte.toUnsignedInt(a.byteAt(i)) - Byte.toUnsignedInt(b.byteAt(i));
            if (c != 0) {
                return c;
            }
        }
        return a.size() - b.size();
    }

    /** The {@code range_end} that makes a request cover every key starting with {@code prefix}, as etcd's clients compute it. */
    public static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ZERO; // all 0xff: every key from the prefix on
    }

    /** The range a request names with {@code key} and {@code rangeEnd}. */
    public static KeyRange of(ByteString key, ByteString rangeEnd) {
        if (rangeEnd.isEmpty()) {
            return new KeyRange(key, null);
        }
        return new KeyRange(key, rangeEnd.equals(ZERO) ? ByteString.EMPTY : rangeEnd);
    }

    public boolean isSingleKey() {
        return end == null;
    }

    /** True when the range runs to the end of the keyspace. */
    public boolean isFromKey() {
        return end != null && end.isEmpty();
    }

    /** True when no key can be in it: an explicit end at or before the key. */
    public boolean isEmpty() {
        return end != null && !end.isEmpty() && ORDER.compare(key, end) >= 0;
    }

    public boolean contains(ByteString k) {
        if (end == null) {
            return key.equals(k);
        }
        return ORDER.compare(key, k) <= 0 && (end.isEmpty() || ORDER.compare(k, end) < 0);
    }

    /** Whether any key of this range lies in [from, to) (to exclusive, never empty). */
    public boolean overlaps(ByteString from, ByteString to) {
        if (isEmpty()) {
            return false;
        }
        ByteString myEnd = exclusiveEnd();
        return ORDER.compare(key, to) < 0 && (myEnd == null || ORDER.compare(from, myEnd) < 0);
    }

    /** The exclusive end as an interval bound: the key alone ends at key + "\0"; null for no end. */
    public ByteString exclusiveEnd() {
        if (end == null) {
            return key.concat(ZERO);
        }
        return end.isEmpty() ? null : end;
    }
}
