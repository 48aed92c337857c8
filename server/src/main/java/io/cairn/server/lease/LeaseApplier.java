package io.cairn.server.lease;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.etcd.LeaseCheckpoint;
import io.cairn.api.etcd.LeaseCheckpointResponse;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrantResponse;
import io.cairn.api.etcd.LeaseRevokeResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.apply.Applier;
import io.cairn.server.command.Command;
import io.cairn.server.storage.mvcc.TxnWrite;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the lease commands: a grant records the lease; a revoke deletes every key attached to
 * the lease in one revision, then the lease; a checkpoint records how long leases had left.
 */
public final class LeaseApplier implements Applier {
    private final LeaseStore store;
    private final Lessor lessor;
    private final java.util.function.Consumer<ByteString> keyRevoked;

    /** @param keyRevoked told of each key deleted with its lease, once the revoke has applied */
    public LeaseApplier(LeaseStore store, Lessor lessor, java.util.function.Consumer<ByteString> keyRevoked) {
        this.store = store;
        this.lessor = lessor;
        this.keyRevoked = keyRevoked;
    }

    @Override
    public Message apply(WriteBatch batch, Command command) {
        return switch (command.getOpCase()) {
            case LEASE_GRANT -> grant(batch, command.getLeaseGrant());
            case LEASE_REVOKE -> revoke(batch, command.getLeaseRevoke().getID());
            case LEASE_CHECKPOINT -> {
                for (LeaseCheckpoint c : command.getLeaseCheckpoint().getCheckpointsList()) {
                    store.checkpoint(batch, c.getID(), c.getRemainingTTL());
                }
                yield LeaseCheckpointResponse.newBuilder()
                        .setHeader(ResponseHeader.newBuilder().setRevision(batch.revision())).build();
            }
            default -> throw new IllegalArgumentException("not a lease command: " + command.getOpCase());
        };
    }

    private LeaseGrantResponse grant(WriteBatch batch, LeaseGrantRequest r) {
        store.grant(batch, r.getID(), r.getTTL());
        lessor.granted(r.getID(), r.getTTL());
        batch.onRollback(() -> lessor.removed(r.getID()));
        return LeaseGrantResponse.newBuilder().setID(r.getID()).setTTL(r.getTTL())
                .setHeader(ResponseHeader.newBuilder().setRevision(batch.revision())).build();
    }

    private LeaseRevokeResponse revoke(WriteBatch batch, long id) {
        LeaseStore.Lease lease = store.get(id);
        if (lease == null) {
            throw io.cairn.server.errors.ServerError.LEASE_NOT_FOUND.exception();
        }
        List<ByteString> keys = new ArrayList<>(lease.keys());
        TxnWrite txn = batch.write();
        try {
            for (ByteString key : keys) {
                txn.deleteRange(key, null);
            }
        } finally {
            txn.end();
        }
        store.remove(batch, id);
        lessor.removed(id);
        keys.forEach(keyRevoked);
        return LeaseRevokeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(batch.revision())).build();
    }
}
