package io.cairn.server.storage;

import java.nio.charset.StandardCharsets;

/**
 * Every LMDB database and meta key Cairn writes. Nothing else names on-disk structures.
 *
 * <ul>
 *   <li>{@link #REVISIONS}: revision (main, sub; 16 bytes big-endian) to a record: one type byte
 *       ({@link #RECORD_PUT} or {@link #RECORD_TOMBSTONE}) followed by an encoded
 *       {@code mvccpb.KeyValue}. It holds the whole uncompacted history; the key index is
 *       rebuilt from it at start-up, as etcd does.</li>
 *   <li>{@link #META}: small named values, each an 8-byte big-endian long.</li>
 *   <li>{@link #ALARMS}: active alarms, key = member id (8 bytes) + alarm type (4 bytes), no value.</li>
 *   <li>{@link #LEASES}: granted leases, key = lease id (8 bytes), value = an encoded
 *       {@code LeaseRecord} (TTL and checkpointed remaining TTL).</li>
 *   <li>{@link #MEMBERS}: the cluster's members, key = member id (8 bytes), value = an encoded
 *       {@code etcdserverpb.Member}.</li>
 *   <li>{@link #AUTH}: users and roles, key = "user/" or "role/" + name, value = an encoded
 *       {@code authpb.User} or {@code authpb.Role}.</li>
 * </ul>
 */
public final class Schema {
    public static final String REVISIONS = "revisions";
    public static final String META = "meta";
    public static final String ALARMS = "alarms";
    public static final String MEMBERS = "members";
    public static final String LEASES = "leases";
    public static final String AUTH = "auth";

    /** Every table, opened (and created) when the backend opens. */
    static final String[] TABLES = {REVISIONS, META, ALARMS, MEMBERS, LEASES, AUTH};

    public static final byte RECORD_PUT = 0;
    public static final byte RECORD_TOMBSTONE = 1;

    /** Meta keys. */
    public enum Meta {
        /** The last raft log index whose command is reflected in this database. */
        APPLIED_INDEX,
        /** The store's revision after the last applied write. */
        CURRENT_REVISION,
        /** The revision of the last compaction, or absent. */
        COMPACTED_REVISION,
        /** The cluster's id, set when the first leader bootstraps the membership. */
        CLUSTER_ID,
        /** 1 while authentication is enabled. */
        AUTH_ENABLED,
        /** Grows with every change to users, roles or the enabled flag. */
        AUTH_REVISION;

        private final byte[] key = name().toLowerCase().getBytes(StandardCharsets.US_ASCII);

        public byte[] key() {
            return key.clone();
        }
    }

    private Schema() {
    }
}
