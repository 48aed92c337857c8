package io.cairn.client;

import java.util.List;

/**
 * What is left of a lease.
 *
 * @param ttl        the seconds left; -1 when the lease does not exist (expired or revoked)
 * @param grantedTtl the TTL it was granted with
 * @param keys       the keys attached to it, when asked for
 */
public record LeaseTimeToLive(Header header, long id, long ttl, long grantedTtl, List<Bytes> keys) {
    /** Copies {@code keys}: the record is immutable. */
    public LeaseTimeToLive {
        keys = List.copyOf(keys);
    }

    /** Whether the lease was alive when asked. */
    public boolean exists() {
        return ttl >= 0;
    }
}
