package io.cairn.client;

import java.util.List;

/**
 * The keys read.
 *
 * @param kvs   the keys found, up to the limit (none when only counting)
 * @param count how many keys the range held, limit aside
 * @param more  whether the limit left keys out
 */
public record GetResponse(Header header, List<KeyValue> kvs, long count, boolean more) implements OpResponse {
    /** Copies {@code kvs}: the record is immutable. */
    public GetResponse {
        kvs = List.copyOf(kvs);
    }

    /** The first key found, or null: the key itself when a single key was read. */
    public KeyValue first() {
        return kvs.isEmpty() ? null : kvs.get(0);
    }
}
