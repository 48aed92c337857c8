package io.cairn.client;

/**
 * A key and its value as of some revision.
 *
 * @param createRevision the revision of the put that last created the key
 * @param modRevision    the revision of the last put to it
 * @param version        how many puts since it was created (1 after the first)
 * @param lease          the lease the key is attached to, 0 for none
 */
public record KeyValue(Bytes key, Bytes value, long createRevision, long modRevision, long version, long lease) {
    /** The key as UTF-8 text. */
    public String keyString() {
        return key.toStringUtf8();
    }

    /** The value as UTF-8 text. */
    public String valueString() {
        return value.toStringUtf8();
    }
}
