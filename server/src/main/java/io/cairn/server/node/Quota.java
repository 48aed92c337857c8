package io.cairn.server.node;

import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.AlarmType;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.Backend;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend quota, checked before a growing request is proposed: when the database plus the
 * request would pass the quota, the NOSPACE alarm is raised through raft and the request
 * refused. The alarm then refuses growing writes on every member until it is disarmed, by
 * hand or, with auto-compaction on, by {@link CompactionDuties} once there is room again.
 */
final class Quota {
    private static final Logger log = LoggerFactory.getLogger(Quota.class);
    /** etcd's estimate of the bytes a key-value costs beyond its key and value. */
    private static final int KV_OVERHEAD = 256;
    /** The share of the quota, in percent, the size in use must fall below for NOSPACE to clear itself. */
    static final int CLEAR_PERCENT = 90;

    private final Backend backend;
    private final long quotaBytes;
    private final Membership membership;
    private final RaftNode raft;

    Quota(Backend backend, long quotaBytes, Membership membership, RaftNode raft) {
        this.backend = backend;
        this.quotaBytes = quotaBytes;
        this.membership = membership;
        this.raft = raft;
    }

    void check(PutRequest r) {
        check(cost(r));
    }

    void check(TxnRequest r) {
        check(Math.max(cost(r.getSuccessList()), cost(r.getFailureList())));
    }

    private void check(long cost) {
        long inUse = backend.committedSizeInUseBytes();
        long file = backend.committedSizeBytes();
        if (!exceeded(cost, inUse, quotaBytes, file, backend.mapBytes())) {
            return;
        }
        log.warn("Database holds {} bytes in a file of {} bytes, at the quota of {} bytes or near its map of {}; "
                + "raising the NOSPACE alarm", inUse, file, quotaBytes, backend.mapBytes());
        raft.propose(Command.newBuilder().setAlarm(AlarmRequest.newBuilder()
                .setAction(AlarmRequest.AlarmAction.ACTIVATE)
                .setMemberID(membership.localId())
                .setAlarm(AlarmType.NOSPACE)).build());
        throw ServerError.NO_SPACE.exception();
    }

    /**
     * Whether a write of {@code cost} bytes must be refused: the data would pass the quota, or
     * the file (grown past the data while long readers pinned freed pages) would come within a
     * reserve of the memory map, where LMDB would fail inside apply instead of refusing here.
     */
    static boolean exceeded(long cost, long inUse, long quota, long file, long map) {
        if (cost == 0) {
            return false;
        }
        long reserve = Math.max(64L << 20, map / 8); // deletes and compaction must still fit
        return inUse + cost >= quota || file + cost >= map - reserve;
    }

    /**
     * Whether the database is far enough under the quota again for a NOSPACE alarm to clear:
     * below {@link #CLEAR_PERCENT} of it, so that the alarm does not flap at the edge. The size
     * in use, not the file's size, because LMDB reuses the pages that compaction frees.
     */
    boolean roomAgain() {
        return roomAgain(backend.committedSizeInUseBytes(), quotaBytes);
    }

    static boolean roomAgain(long inUseBytes, long quotaBytes) {
        return inUseBytes < quotaBytes / 100 * CLEAR_PERCENT;
    }

    long inUseBytes() {
        return backend.committedSizeInUseBytes();
    }

    long quotaBytes() {
        return quotaBytes;
    }

    private static long cost(PutRequest r) {
        return KV_OVERHEAD + r.getKey().size() + r.getValue().size();
    }

    private static long cost(List<RequestOp> ops) {
        long sum = 0;
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                sum += cost(op.getRequestPut());
            }
        }
        return sum;
    }
}
