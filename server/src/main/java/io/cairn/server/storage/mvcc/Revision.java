package io.cairn.server.storage.mvcc;

import java.nio.ByteBuffer;

/**
 * A point in the store's history: {@code main} is the store revision of a write transaction,
 * {@code sub} the position of a change within it. Encoded as 16 big-endian bytes so that LMDB's
 * byte order is revision order.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {
    public static final int BYTES = 16;

    public void writeTo(ByteBuffer buffer) {
        buffer.putLong(0, main).putLong(8, sub).limit(BYTES).position(0);
    }

    public static Revision readFrom(ByteBuffer buffer) {
        return new Revision(buffer.getLong(0), buffer.getLong(8));
    }

    @Override
    public int compareTo(Revision o) {
        int c = Long.compare(main, o.main);
        return c != 0 ? c : Long.compare(sub, o.sub);
    }
}
