package io.cairn.client;

/**
 * One change seen by a watcher.
 *
 * @param kv     after a put, the key as written; after a delete, the key with an empty value
 *               and the delete's revision as its {@code modRevision}
 * @param prevKv the key before the change, when the watch asked for it and it existed; else null
 */
public record Event(Type type, KeyValue kv, KeyValue prevKv) {
    /** A put (a create or an update) or a delete. */
    public enum Type {
        /** The key was created or updated. */
        PUT,
        /** The key was deleted, or its lease ended. */
        DELETE
    }

    /** The revision the change was made in. */
    public long revision() {
        return kv.modRevision();
    }
}
