package io.cairn.server.apply;

import com.google.protobuf.Message;
import io.cairn.api.etcd.AlarmMember;
import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.AlarmResponse;
import io.cairn.api.etcd.AlarmType;
import io.cairn.api.etcd.MemberListResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.command.Command;
import io.cairn.server.membership.MemberStore;
import io.cairn.server.storage.mvcc.WriteBatch;

/** The last link of the chain: hands each command to the part of the node that owns it. */
public final class BackendApplier implements Applier {
    private final KvApplier kv;
    private final AlarmStore alarms;
    private final MemberStore members;
    private final Applier leases;
    private final Applier configs;

    /**
     * @param leases  applies the lease commands (the lessor lives in its own package)
     * @param configs applies the config center's changes
     */
    public BackendApplier(KvApplier kv, AlarmStore alarms, MemberStore members, Applier leases, Applier configs) {
        this.kv = kv;
        this.alarms = alarms;
        this.members = members;
        this.leases = leases;
        this.configs = configs;
    }

    @Override
    public Message apply(WriteBatch batch, Command command) {
        return switch (command.getOpCase()) {
            case PUT -> kv.put(batch, command.getPut());
            case DELETE_RANGE -> kv.deleteRange(batch, command.getDeleteRange());
            case TXN -> kv.txn(batch, command.getTxn());
            case COMPACTION -> kv.compact(batch, command.getCompaction());
            case ALARM -> alarm(batch, command.getAlarm());
            case LEASE_GRANT, LEASE_REVOKE, LEASE_CHECKPOINT -> leases.apply(batch, command);
            case LEASED_TXN -> {
                leases.apply(batch, Command.newBuilder().setLeaseGrant(command.getLeasedTxn().getGrant()).build());
                yield kv.txn(batch, command.getLeasedTxn().getTxn());
            }
            case CONFIG_CHANGE -> configs.apply(batch, command);
            case CLUSTER_BOOTSTRAP -> membership(() -> members.bootstrap(batch, command.getClusterBootstrap()));
            case MEMBER_PUBLISH -> membership(() -> members.publish(batch, command.getMemberPublish()));
            case MEMBER_ADD -> membership(() -> members.add(batch, command.getMemberAdd()));
            case MEMBER_REMOVE -> membership(() -> members.remove(batch, command.getMemberRemove().getID()));
            case MEMBER_UPDATE -> membership(() -> members.update(batch, command.getMemberUpdate()));
            case MEMBER_PROMOTE -> membership(() -> members.promote(batch, command.getMemberPromote().getID()));
            case AUTH_ENABLE, AUTH_DISABLE, ISSUE_TOKEN, USER_ADD, USER_DELETE, USER_CHANGE_PASSWORD, USER_GRANT_ROLE,
                 USER_REVOKE_ROLE, ROLE_ADD, ROLE_DELETE, ROLE_GRANT_PERMISSION, ROLE_REVOKE_PERMISSION,
                 OP_NOT_SET -> throw new IllegalStateException("no applier for " + command.getOpCase());
        };
    }

    private MemberListResponse membership(Runnable change) {
        change.run();
        // no revision: etcd's Cluster service answers none, membership is not in the keyspace
        return MemberListResponse.newBuilder()
                .setHeader(ResponseHeader.getDefaultInstance())
                .addAllMembers(members.members()).build();
    }

    private AlarmResponse alarm(WriteBatch batch, AlarmRequest r) {
        AlarmResponse.Builder resp = AlarmResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(batch.revision()));
        switch (r.getAction()) {
            case ACTIVATE -> {
                if (r.getAlarm() != AlarmType.NONE && alarms.activate(batch, r.getMemberID(), r.getAlarm())) {
                    resp.addAlarms(AlarmMember.newBuilder().setMemberID(r.getMemberID()).setAlarm(r.getAlarm()));
                }
            }
            case DEACTIVATE -> resp.addAllAlarms(alarms.deactivate(batch, r.getMemberID(), r.getAlarm()));
            default -> {
                for (AlarmMember a : alarms.active()) {
                    if (r.getAlarm() == AlarmType.NONE || a.getAlarm() == r.getAlarm()) {
                        resp.addAlarms(a);
                    }
                }
            }
        }
        return resp.build();
    }
}
