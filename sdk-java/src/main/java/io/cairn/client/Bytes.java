package io.cairn.client;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * An immutable sequence of bytes: a key, a value, a range end. Keys and values in etcd's model
 * are bytes; most are UTF-8 text, so there are String views both ways. Ordered as etcd orders
 * keys: byte by byte, unsigned.
 */
public final class Bytes implements Comparable<Bytes> {
    /** No bytes: as a range end, a single key; as a key with {@link Keys#FROM_KEY}, every key. */
    public static final Bytes EMPTY = new Bytes(ByteString.EMPTY);

    private final ByteString bytes;

    private Bytes(ByteString bytes) {
        this.bytes = bytes;
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes of(String text) {
        return new Bytes(ByteString.copyFromUtf8(text));
    }

    /** A copy of {@code bytes}: changing the array later changes nothing here. */
    public static Bytes of(byte[] bytes) {
        return new Bytes(ByteString.copyFrom(bytes));
    }

    static Bytes wrap(ByteString bytes) {
        return bytes.isEmpty() ? EMPTY : new Bytes(bytes);
    }

    ByteString unwrap() {
        return bytes;
    }

    /** How many bytes. */
    public int size() {
        return bytes.size();
    }

    /** Whether there are no bytes. */
    public boolean isEmpty() {
        return bytes.isEmpty();
    }

    /** The byte at {@code index}, 0 to 255. */
    public int byteAt(int index) {
        return bytes.byteAt(index) & 0xff;
    }

    /** Whether these bytes begin with {@code prefix}. */
    public boolean startsWith(Bytes prefix) {
        return bytes.startsWith(prefix.bytes);
    }

    /** These bytes followed by {@code other}'s. */
    public Bytes concat(Bytes other) {
        return new Bytes(bytes.concat(other.bytes));
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** The bytes read as UTF-8 (invalid sequences become U+FFFD). */
    public String toStringUtf8() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The same as {@link #toStringUtf8()}, so that keys print as users wrote them. */
    @Override
    public String toString() {
        return toStringUtf8();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && bytes.equals(other.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    @Override
    public int compareTo(Bytes other) {
        return ByteString.unsignedLexicographicalComparator().compare(bytes, other.bytes);
    }
}
