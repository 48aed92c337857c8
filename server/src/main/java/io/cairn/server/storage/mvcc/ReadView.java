package io.cairn.server.storage.mvcc;

import com.google.protobuf.ByteString;

/** A consistent view of the keyspace at one store revision. */
public interface ReadView {
    /** The store revision this view reads at by default. */
    long revision();

    /** The revision of the last compaction, or -1; reads below it fail. */
    long compactedRevision();

    /**
     * The key-values of a key or a range.
     *
     * @param end null for {@code key} alone, empty for every key from {@code key} on, otherwise
     *            the exclusive end of the range
     * @throws io.cairn.server.errors.ServerException {@code FUTURE_REV} for a revision above
     *         {@link #revision()}, {@code COMPACTED} for one below the compaction
     */
    RangeResult range(ByteString key, ByteString end, RangeOptions options);
}
