package io.cairn.server.node;

import com.google.protobuf.Message;
import io.cairn.api.etcd.LeaseCheckpoint;
import io.cairn.api.etcd.LeaseCheckpointRequest;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrantResponse;
import io.cairn.api.etcd.LeaseKeepAliveRequest;
import io.cairn.api.etcd.LeaseKeepAliveResponse;
import io.cairn.api.etcd.LeaseLeasesResponse;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.LeaseRevokeResponse;
import io.cairn.api.etcd.LeaseStatus;
import io.cairn.api.etcd.LeaseTimeToLiveRequest;
import io.cairn.api.etcd.LeaseTimeToLiveResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.command.Command;
import io.cairn.server.command.LeaderAnswer;
import io.cairn.server.command.LeaderQuery;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import io.cairn.server.lease.LeaseStore;
import io.cairn.server.lease.Lessor;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.time.WallClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * etcd's Lease service, transport-free. Grant and revoke go through raft; renewals and
 * time-to-live are answered by the leader, to which a follower forwards them.
 */
public final class LeaseServer {
    /** etcd's largest TTL. */
    static final long MAX_TTL = 9_000_000_000L;

    private final RaftNode raft;
    private final LeaseStore store;
    private final Lessor lessor;
    private final Headers headers;
    private final long minTtl;
    private final AtomicLong ids;

    private final AccessGate access;

    LeaseServer(RaftNode raft, LeaseStore store, Lessor lessor, Headers headers, long minTtl, long memberId,
                AccessGate access) {
        this.access = access;
        this.raft = raft;
        this.store = store;
        this.lessor = lessor;
        this.headers = headers;
        this.minTtl = minTtl;
        // as etcd: the member's id in the top bits, then the time, then a counter
        this.ids = new AtomicLong(((memberId & 0xffff) << 48) | ((WallClock.nowMs() & 0xff_ffff_ffffL) << 8));
        raft.answerLeaseQueries(q -> CompletableFuture.completedFuture(answer(q)));
    }

    /** etcd's minimum TTL: one and a half election timeouts, in whole seconds. */
    static long minTtl(int electionTimeoutMs) {
        return (long) Math.ceil(1.5 * electionTimeoutMs / 1000.0);
    }

    /** {@code user} is the caller, as {@link AuthServer#identify} found it. */
    public CompletableFuture<LeaseGrantResponse> grant(String user, LeaseGrantRequest r) {
        return propose(user, Command.newBuilder().setLeaseGrant(stamp(r)), LeaseGrantResponse.class);
    }

    /** {@code r} as the leader proposes it: with an ID when it had none, and at least the minimum TTL. */
    LeaseGrantRequest stamp(LeaseGrantRequest r) {
        if (r.getTTL() > MAX_TTL) {
            throw ServerError.LEASE_TTL_TOO_LARGE.exception();
        }
        long id = r.getID() != 0 ? r.getID() : ids.incrementAndGet() & Long.MAX_VALUE;
        return LeaseGrantRequest.newBuilder().setID(id).setTTL(Math.max(r.getTTL(), minTtl)).build();
    }

    /** Needs write access to every key attached to the lease, checked where it is applied. */
    public CompletableFuture<LeaseRevokeResponse> revoke(String user, LeaseRevokeRequest r) {
        return propose(user, Command.newBuilder().setLeaseRevoke(r), LeaseRevokeResponse.class);
    }

    public CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest r) {
        return ask(LeaderQuery.newBuilder().setRenew(r).build()).thenApply(a -> headers.complete(a.getRenew()));
    }

    /** The attached keys are shown only to a caller who may read each of them. */
    public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(String user, LeaseTimeToLiveRequest r) {
        return ask(LeaderQuery.newBuilder().setTimeToLive(r).build()).thenApply(a -> {
            for (com.google.protobuf.ByteString key : a.getTimeToLive().getKeysList()) {
                access.policy().checkRead(user, key, com.google.protobuf.ByteString.EMPTY);
            }
            return headers.complete(a.getTimeToLive());
        });
    }

    public int count() {
        return store.all().size();
    }

    public LeaseLeasesResponse leases() {
        LeaseLeasesResponse.Builder resp = LeaseLeasesResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance());
        for (LeaseStore.Lease l : store.all()) {
            resp.addLeases(LeaseStatus.newBuilder().setID(l.id()));
        }
        return headers.complete(resp.build());
    }

    /**
     * Answered here while this member leads; otherwise, and when it finds it no longer leads,
     * the leader answers, asked as a follower asks it.
     */
    private CompletableFuture<LeaderAnswer> ask(LeaderQuery q) {
        if (raft.isLeader()) {
            LeaderAnswer a = answer(q);
            if (!a.getError().equals(ServerError.NOT_LEADER.name())) {
                return CompletableFuture.completedFuture(a);
            }
        }
        return raft.askLeader(q);
    }

    /** The leader's answers, for its own clients and for the followers that forward theirs. */
    private LeaderAnswer answer(LeaderQuery q) {
        LeaderAnswer notLeader = LeaderAnswer.newBuilder().setError(ServerError.NOT_LEADER.name()).build();
        if (!lessor.isPrimary()) {
            return notLeader;
        }
        LeaderAnswer.Builder a = LeaderAnswer.newBuilder();
        if (q.hasRenew()) {
            long id = q.getRenew().getID();
            long ttl;
            try {
                ttl = lessor.renew(id);
            } catch (ServerException e) {
                if (e.error() == ServerError.NOT_LEADER) {
                    return notLeader;
                }
                if (e.error() != ServerError.LEASE_NOT_FOUND) {
                    throw e;
                }
                // as etcd: a lease that is gone or going is answered with TTL 0, not with an error
                // that would end the stream, and with it the keep-alives of every other lease on it
                ttl = 0;
            }
            LeaseStore.Lease lease = store.get(id);
            if (ttl > 0 && lease != null && lease.remainingTtl() > 0) {
                // a checkpoint older than this renewal would make the lease expire early after a
                // leader change: clear it
                raft.propose(Command.newBuilder().setLeaseCheckpoint(LeaseCheckpointRequest.newBuilder()
                        .addCheckpoints(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(0))).build());
            }
            a.setRenew(LeaseKeepAliveResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance())
                    .setID(id).setTTL(ttl));
        } else {
            long id = q.getTimeToLive().getID();
            LeaseStore.Lease lease = store.get(id);
            long remaining = lessor.remainingSeconds(id);
            LeaseTimeToLiveResponse.Builder t = LeaseTimeToLiveResponse.newBuilder()
                    .setHeader(ResponseHeader.getDefaultInstance()).setID(id).setTTL(lease == null ? -1 : remaining);
            if (lease != null) {
                t.setGrantedTTL(lease.ttl());
                if (q.getTimeToLive().getKeys()) {
                    t.addAllKeys(lease.keys());
                }
            }
            a.setTimeToLive(t);
        }
        return a.build();
    }

    private <T extends Message> CompletableFuture<T> propose(String user, Command.Builder builder, Class<T> type) {
        return access.propose(user, builder).thenApply(m -> headers.complete(type.cast(m)));
    }
}
