package io.cairn.server.node;

import com.google.protobuf.Message;
import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.CompactionResponse;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.DeleteRangeResponse;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.server.apply.KvApplier;
import io.cairn.server.apply.Ranges;
import io.cairn.server.apply.RequestChecks;
import io.cairn.server.command.Command;
import io.cairn.server.command.LeasedTxn;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.TxnRead;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * etcd's KV service, transport-free: checks a request, then either proposes it through raft or
 * serves it from the local keyspace (after a read index unless serializable). Failures surface
 * as {@link io.cairn.server.errors.ServerException}, thrown or in the returned future.
 */
public final class KvServer {
    private final MvccStore store;
    private final RaftNode raft;
    private final RequestChecks checks;
    private final KvApplier kv;
    private final Quota quota;
    private final Headers headers;
    private final Executor reads;
    private final int maxRequestBytes;
    private final AccessGate access;

    KvServer(MvccStore store, RaftNode raft, RequestChecks checks, KvApplier kv, Quota quota,
             Headers headers, Executor reads, int maxRequestBytes, AccessGate access) {
        this.access = access;
        this.store = store;
        this.raft = raft;
        this.checks = checks;
        this.kv = kv;
        this.quota = quota;
        this.headers = headers;
        this.reads = reads;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Each call names the user it acts for ("" for none), as {@link AuthServer#identify} found it. */
    public CompletableFuture<RangeResponse> range(String user, RangeRequest r) {
        checks.range(r);
        return read(r.getSerializable(), view -> {
            access.policy().checkRead(user, r.getKey(), r.getRangeEnd());
            return headers.complete(Ranges.range(view, r));
        });
    }

    public CompletableFuture<PutResponse> put(String user, PutRequest r) {
        checks.put(r);
        quota.check(r);
        return propose(user, Command.newBuilder().setPut(r), PutResponse.class);
    }

    public CompletableFuture<DeleteRangeResponse> deleteRange(String user, DeleteRangeRequest r) {
        checks.deleteRange(r);
        return propose(user, Command.newBuilder().setDeleteRange(r), DeleteRangeResponse.class);
    }

    /** A txn with writes goes through raft; a read-only one is served locally, as etcd does. */
    public CompletableFuture<TxnResponse> txn(String user, TxnRequest r) {
        checks.txn(r);
        if (!KvApplier.hasWrites(r)) {
            return read(serializable(r), view -> {
                access.policy().checkTxn(user, r);
                return headers.complete(kv.txn(view, r));
            });
        }
        quota.check(r);
        return propose(user, Command.newBuilder().setTxn(r), TxnResponse.class);
    }

    /**
     * A write txn preceded, in the same command, by the grant of the lease its puts attach to;
     * {@code grant} is stamped (its ID set) by {@link LeaseServer#stamp}.
     */
    public CompletableFuture<TxnResponse> leasedTxn(String user, LeaseGrantRequest grant, TxnRequest r) {
        checks.txn(r);
        quota.check(r);
        return propose(user, Command.newBuilder().setLeasedTxn(
                LeasedTxn.newBuilder().setGrant(grant).setTxn(r)), TxnResponse.class);
    }

    /** Compaction is applied synchronously, so it is always physical when this completes. */
    public CompletableFuture<CompactionResponse> compact(String user, CompactionRequest r) {
        return propose(user, Command.newBuilder().setCompaction(r), CompactionResponse.class);
    }

    /** Runs {@code body} on the local keyspace: at once if serializable, else after a read index. */
    <T> CompletableFuture<T> read(boolean serializable, Function<TxnRead, T> body) {
        if (serializable) {
            return CompletableFuture.completedFuture(readNow(body));
        }
        return raft.readIndex().thenApplyAsync(ignored -> readNow(body), reads);
    }

    private <T> T readNow(Function<TxnRead, T> body) {
        try (TxnRead view = store.read()) {
            return body.apply(view);
        }
    }

    /** Checked for a quick answer here; apply checks again, against the auth state of its time. */
    private <T extends Message> CompletableFuture<T> propose(String user, Command.Builder builder, Class<T> type) {
        Command command = AccessGate.stamp(user, builder); // built once: measured, checked, proposed
        if (command.getSerializedSize() > maxRequestBytes) {
            throw ServerError.REQUEST_TOO_LARGE.exception();
        }
        return access.propose(user, command).thenApply(m -> headers.complete(type.cast(m)));
    }

    private static boolean serializable(TxnRequest r) {
        return serializable(r.getSuccessList()) && serializable(r.getFailureList());
    }

    /** As etcd: only when every op, in both branches, is a serializable range. */
    private static boolean serializable(List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (!op.hasRequestRange() || !op.getRequestRange().getSerializable()) {
                return false;
            }
        }
        return true;
    }
}
