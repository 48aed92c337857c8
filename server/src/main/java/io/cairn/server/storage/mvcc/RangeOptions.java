package io.cairn.server.storage.mvcc;

/**
 * How a range reads the keyspace.
 *
 * @param limit      at most this many key-values, 0 for all
 * @param revision   the store revision to read at, 0 or less for the newest
 * @param countOnly  return only the count
 */
public record RangeOptions(long limit, long revision, boolean countOnly) {
    public static final RangeOptions LATEST = new RangeOptions(0, 0, false);
}
