package io.cairn.server.apply;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.auth.AuthStore;
import io.cairn.server.auth.SimpleTokens;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerException;
import io.cairn.server.lease.LeaseStore;
import io.cairn.server.lease.Lessor;
import io.cairn.server.membership.MemberStore;
import io.cairn.server.node.ApplyChain;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.TxnRead;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A keyspace on a temporary LMDB driven through the real apply chain, without raft: what the
 * state machine does, minus the log. Commands go one per batch, or several in one batch as
 * raft hands them over.
 */
public final class Keyspace implements AutoCloseable {
    private final Path dir;
    private final long quota;
    private final RequestChecks checks = new RequestChecks(128);
    private Backend backend;
    private MvccStore store;
    private Applier applier;
    private KvApplier kv;
    private LeaseStore leases;
    private long index;
    private java.util.function.Consumer<List<io.cairn.api.etcd.Event>> committed = e -> { };

    public Keyspace(Path dir) {
        this(dir, 64L << 20);
    }

    public Keyspace(Path dir, long quota) {
        this.dir = dir;
        this.quota = quota;
        open();
    }

    private void open() {
        try {
            backend = Backend.open(dir, quota);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = MvccStore.open(backend);
        AlarmStore alarms = AlarmStore.load(backend);
        leases = new LeaseStore();
        leases.reload(backend, store.liveKeyValues());
        Lessor lessor = new Lessor(leases, System::nanoTime, 0);
        kv = new KvApplier(leases);
        applier = ApplyChain.of(kv, alarms, MemberStore.load(backend), leases, lessor, AuthStore.load(backend),
                new SimpleTokens(300, System::nanoTime), key -> { });
        if (!leases.exists(42)) { // lease 42 is the one lease the tests attach keys to
            apply(Command.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(42).setTTL(60)).build());
        }
    }

    /** Closes and reopens, rebuilding the index from disk as a restart does. */
    public void reopen() {
        store.close();
        backend.close();
        open();
    }

    public LeaseStore leases() {
        return leases;
    }

    /** Where each applied command's events go, as the state machine hands them to the watchers. */
    public void onCommitted(java.util.function.Consumer<List<io.cairn.api.etcd.Event>> listener) {
        this.committed = listener;
    }

    public MvccStore store() {
        return store;
    }

    /** Applies one command in its own batch; returns the response or throws its ServerException. */
    public Message apply(Command command) {
        Object outcome = applyBatch(List.of(command)).get(0);
        if (outcome instanceof ServerException e) {
            throw e;
        }
        return (Message) outcome;
    }

    /**
     * Applies commands as the state machine applies one raft batch: one write batch for all,
     * committed at once, its events handed on together. Each outcome is the command's response
     * or the ServerException it answered; anything else escapes, as it would stop a member.
     */
    public List<Object> applyBatch(List<Command> commands) {
        List<Object> outcomes = new ArrayList<>();
        try (WriteBatch batch = store.beginBatch()) {
            for (Command command : commands) {
                batch.beginEntry(++index);
                try {
                    outcomes.add(applier.apply(batch, command));
                } catch (ServerException e) {
                    outcomes.add(e);
                }
            }
            committed.accept(batch.commit(index));
        }
        return outcomes;
    }

    /** The shape checks a write passes before it is proposed, as the KV server makes them. */
    public void check(Command command) {
        switch (command.getOpCase()) {
            case PUT -> checks.put(command.getPut());
            case DELETE_RANGE -> checks.deleteRange(command.getDeleteRange());
            case TXN -> checks.txn(command.getTxn());
            default -> { }
        }
    }

    public long put(String key, String value) {
        return put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build())
                .getHeader().getRevision();
    }

    public io.cairn.api.etcd.PutResponse put(PutRequest r) {
        checks.put(r);
        return (io.cairn.api.etcd.PutResponse) apply(Command.newBuilder().setPut(r).build());
    }

    public io.cairn.api.etcd.DeleteRangeResponse delete(DeleteRangeRequest r) {
        checks.deleteRange(r);
        return (io.cairn.api.etcd.DeleteRangeResponse) apply(Command.newBuilder().setDeleteRange(r).build());
    }

    public TxnResponse txn(TxnRequest r) {
        checks.txn(r);
        if (!KvApplier.hasWrites(r)) {
            try (TxnRead view = store.read()) {
                return kv.txn(view, r);
            }
        }
        return (TxnResponse) apply(Command.newBuilder().setTxn(r).build());
    }

    public void compact(long revision) {
        apply(Command.newBuilder().setCompaction(CompactionRequest.newBuilder().setRevision(revision)).build());
    }

    public RangeResponse range(RangeRequest r) {
        checks.range(r);
        try (TxnRead view = store.read()) {
            return Ranges.range(view, r);
        }
    }

    public RangeResponse get(String key) {
        return range(RangeRequest.newBuilder().setKey(bytes(key)).build());
    }

    public void grant(long id, long ttl) {
        apply(Command.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl)).build());
    }

    public void revoke(long id) {
        apply(Command.newBuilder().setLeaseRevoke(io.cairn.api.etcd.LeaseRevokeRequest.newBuilder().setID(id)).build());
    }

    public void checkpoint(long id, long remainingTtl) {
        apply(Command.newBuilder().setLeaseCheckpoint(io.cairn.api.etcd.LeaseCheckpointRequest.newBuilder()
                .addCheckpoints(io.cairn.api.etcd.LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(remainingTtl)))
                .build());
    }

    public static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Override
    public void close() {
        store.close();
        backend.close();
    }
}
