package io.cairn.client;

import com.google.protobuf.ByteString;

/** etcd's key-range conventions, client side. */
public final class Keys {
    /** As a range end: every key from the start key on. */
    public static final ByteString FROM_KEY = ByteString.copyFrom(new byte[] {0});

    private Keys() {
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /** The end of the range of every key starting with {@code prefix}. */
    public static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return FROM_KEY; // all 0xff, or empty: every key from it on
    }
}
