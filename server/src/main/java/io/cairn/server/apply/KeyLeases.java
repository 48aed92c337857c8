package io.cairn.server.apply;

import com.google.protobuf.ByteString;

/** What the KV appliers need of leases: whether one exists, and which keys each one holds. */
public interface KeyLeases {
    boolean exists(long leaseId);

    /** A key was written with {@code lease} (0 for none). Apply thread. */
    void keyPut(ByteString key, long lease);

    /** A key was deleted. Apply thread. */
    void keyDeleted(ByteString key);
}
