package io.cairn.client;

import java.util.List;

/**
 * @param deleted how many keys were deleted
 * @param prevKvs the deleted keys, when asked for
 */
public record DeleteResponse(Header header, long deleted, List<KeyValue> prevKvs) implements OpResponse {
    /** Copies {@code prevKvs}: the record is immutable. */
    public DeleteResponse {
        prevKvs = List.copyOf(prevKvs);
    }
}
