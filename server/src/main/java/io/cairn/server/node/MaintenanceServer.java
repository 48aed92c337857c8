package io.cairn.server.node;

import io.cairn.api.etcd.AlarmMember;
import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.AlarmResponse;
import io.cairn.api.etcd.StatusResponse;
import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.Backend;
import java.util.concurrent.CompletableFuture;

/** etcd's Maintenance service, transport-free: alarms (through raft) and member status. */
public final class MaintenanceServer {
    /** The etcd API level Cairn serves; clients read it as the server's etcd version. */
    public static final String ETCD_API_VERSION = "3.4.0";

    private final RaftNode raft;
    private final Backend backend;
    private final AlarmStore alarms;
    private final Membership membership;
    private final Headers headers;

    MaintenanceServer(RaftNode raft, Backend backend, AlarmStore alarms, Membership membership, Headers headers) {
        this.raft = raft;
        this.backend = backend;
        this.alarms = alarms;
        this.membership = membership;
        this.headers = headers;
    }

    /** Lists, raises or disarms alarms; every action goes through raft, as in etcd. */
    public CompletableFuture<AlarmResponse> alarm(AlarmRequest r) {
        return raft.propose(Command.newBuilder().setAlarm(r).build())
                .thenApply(m -> headers.complete((AlarmResponse) m));
    }

    public StatusResponse status() {
        StatusResponse.Builder resp = StatusResponse.newBuilder()
                .setVersion(ETCD_API_VERSION)
                .setDbSize(backend.sizeBytes())
                .setDbSizeInUse(backend.sizeInUseBytes())
                .setRaftIndex(raft.committedIndex())
                .setRaftTerm(raft.term())
                .setRaftAppliedIndex(raft.appliedIndex());
        String leader = raft.leader();
        long leaderId = leader == null ? 0 : membership.idOfPeer(leader);
        if (leaderId != 0) {
            resp.setLeader(leaderId);
        } else {
            resp.addErrors(ServerError.NO_LEADER.text());
        }
        resp.setIsLearner(membership.members().stream()
                .anyMatch(m -> m.getID() == membership.localId() && m.getIsLearner()));
        for (AlarmMember a : alarms.active()) {
            // etcd prints an alarm in protobuf's Go text form
            resp.addErrors("memberID:" + Long.toUnsignedString(a.getMemberID()) + " alarm:" + a.getAlarm() + " ");
        }
        return headers.complete(resp.build());
    }
}
