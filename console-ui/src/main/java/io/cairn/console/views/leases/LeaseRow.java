package io.cairn.console.views.leases;

import io.cairn.client.Bytes;
import io.cairn.client.LeaseTimeToLive;
import java.util.List;

/**
 * A lease as the leases grid shows it.
 *
 * @param id         the lease's id
 * @param grantedTtl the seconds it was granted for
 * @param remaining  the seconds left when read; -1 when it was gone by then
 * @param keys       the keys attached to it
 * @param problem    why it could not be read (the cluster's error), or null
 */
public record LeaseRow(long id, long grantedTtl, long remaining, List<String> keys, String problem) {
    public LeaseRow {
        keys = List.copyOf(keys);
    }

    public static LeaseRow of(LeaseTimeToLive ttl) {
        return new LeaseRow(ttl.id(), ttl.grantedTtl(), ttl.ttl(), ttl.keys().stream().map(Bytes::toStringUtf8).toList(), null);
    }

    /** A lease listed but not readable, for example when the person may not read its keys. */
    public static LeaseRow unreadable(long id, String problem) {
        return new LeaseRow(id, 0, 0, List.of(), problem);
    }

    /** Whether it still existed when read: a lease can expire between the listing and the read. */
    public boolean exists() {
        return problem != null || remaining >= 0;
    }

    /** The first {@code shown} keys, and how many more there are. */
    public String firstKeys(int shown) {
        if (problem != null) {
            return problem;
        }
        String first = String.join(", ", keys.subList(0, Math.min(shown, keys.size())));
        return keys.size() <= shown ? first : first + " … and " + (keys.size() - shown) + " more";
    }

    /** "1 key", "3 keys". */
    public String keyCount() {
        return keys.size() == 1 ? "1 key" : keys.size() + " keys";
    }
}
