package io.cairn.server.node;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.mvcc.MvccStore;

/**
 * Completes response headers as etcd does: ids, raft term, and the revision when none is set,
 * except in the Cluster service, which has no revision.
 */
public final class Headers {
    private final Membership membership;
    private final RaftNode raft;
    private final MvccStore store;

    Headers(Membership membership, RaftNode raft, MvccStore store) {
        this.membership = membership;
        this.raft = raft;
        this.store = store;
    }

    /** {@code response} with its {@code header} field completed. */
    @SuppressWarnings("unchecked")
    <T extends Message> T complete(T response) {
        Descriptors.FieldDescriptor field = response.getDescriptorForType().findFieldByName("header");
        ResponseHeader partial = (ResponseHeader) response.getField(field);
        return (T) response.toBuilder().setField(field, complete(partial)).build();
    }

    public ResponseHeader complete(ResponseHeader partial) {
        ResponseHeader.Builder h = identify(partial.toBuilder());
        if (h.getRevision() == 0) {
            h.setRevision(store.currentRevision());
        }
        return h.build();
    }

    /** The header of etcd's Cluster service, which carries no revision: membership is not in the keyspace. */
    ResponseHeader withoutRevision() {
        return identify(ResponseHeader.newBuilder()).build();
    }

    private ResponseHeader.Builder identify(ResponseHeader.Builder h) {
        return h.setClusterId(membership.clusterId()).setMemberId(membership.localId()).setRaftTerm(raft.term());
    }
}
