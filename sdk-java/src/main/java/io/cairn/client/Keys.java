package io.cairn.client;

import com.google.protobuf.ByteString;

/** etcd's key-range conventions, client side. */
public final class Keys {
    /** As a range end: every key from the start key on. */
    public static final Bytes FROM_KEY = Bytes.of(new byte[] {0});

    private Keys() {
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /**
     * The end of the range of every key starting with {@code prefix}: the prefix with its last
     * byte below 0xff raised by one; {@link #FROM_KEY} when there is none (empty or all 0xff).
     */
    public static Bytes prefixEnd(Bytes prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Bytes.wrap(ByteString.copyFrom(end, 0, i + 1));
            }
        }
        return FROM_KEY;
    }

    static ByteString prefixEnd(ByteString prefix) {
        return prefixEnd(Bytes.wrap(prefix)).unwrap();
    }
}
