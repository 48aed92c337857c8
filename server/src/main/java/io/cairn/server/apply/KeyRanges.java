package io.cairn.server.apply;

import com.google.protobuf.ByteString;

/** etcd's conventions for the end of a key range in requests. */
final class KeyRanges {
    private KeyRanges() {
    }

    /**
     * Maps a request's {@code range_end} to the store's: absent means the key alone (null), and
     * {@code "\0"} means every key from the start key on (empty).
     */
    static ByteString end(ByteString rangeEnd) {
        if (rangeEnd.isEmpty()) {
            return null;
        }
        if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) {
            return ByteString.EMPTY;
        }
        return rangeEnd;
    }
}
