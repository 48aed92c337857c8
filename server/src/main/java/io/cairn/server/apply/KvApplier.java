package io.cairn.server.apply;

import io.cairn.server.storage.KeyRange;
import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.CompactionResponse;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.DeleteRangeResponse;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.ResponseOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.mvcc.RangeOptions;
import io.cairn.server.storage.mvcc.RangeResult;
import io.cairn.server.storage.mvcc.ReadView;
import io.cairn.server.storage.mvcc.TxnWrite;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * etcd's KV requests applied to the keyspace: Put, DeleteRange, Txn and Compaction. Failures
 * are detected before the first write where a check can tell; one found later (a txn whose put
 * keeps the value of a key an earlier op of it deleted) throws, and the batch undoes the whole
 * command, so a failed request changes nothing. Response headers carry only the revision; the
 * server fills in the rest.
 */
public final class KvApplier {
    private final KeyLeases leases;

    public KvApplier(KeyLeases leases) {
        this.leases = leases;
    }

    public PutResponse put(WriteBatch batch, PutRequest r) {
        return inWrite(batch, txn -> {
            requireLease(r); // etcd's plain put asks about its lease first, a txn's put last
            checkPut(txn, r);
            return put(txn, r);
        });
    }

    public DeleteRangeResponse deleteRange(WriteBatch batch, DeleteRangeRequest r) {
        return inWrite(batch, txn -> deleteRange(txn, r));
    }

    /** A txn with writes, applied in one store revision. */
    public TxnResponse txn(WriteBatch batch, TxnRequest r) {
        return inWrite(batch, txn -> txn((ReadView) txn, r));
    }

    /**
     * Runs {@code body} as one write transaction of the keyspace, all its writes in one revision,
     * keeping the lease index in step: for commands that read and write keys by their own rules.
     */
    public <T> T write(WriteBatch batch, Function<TxnWrite, T> body) {
        return inWrite(batch, body);
    }

    private <T> T inWrite(WriteBatch batch, Function<TxnWrite, T> body) {
        TxnWrite txn = batch.write();
        try {
            T result = body.apply(txn);
            for (Event e : txn.changes()) {
                if (e.getType() == Event.EventType.PUT) {
                    leases.keyPut(e.getKv().getKey(), e.getKv().getLease());
                } else {
                    leases.keyDeleted(e.getKv().getKey());
                }
            }
            return result;
        } finally {
            txn.end();
        }
    }

    /**
     * A txn on {@code view}. A txn whose ops include writes needs a {@link TxnWrite}; a read-only
     * one may run on any view.
     */
    public TxnResponse txn(ReadView view, TxnRequest r) {
        List<Boolean> path = Compares.path(view, r);
        check(view, r, path);
        TxnResponse.Builder resp = apply(view, r, path.iterator());
        return resp.setHeader(ResponseHeader.newBuilder().setRevision(view.revision())).build();
    }

    public CompactionResponse compact(WriteBatch batch, CompactionRequest r) {
        batch.compact(r.getRevision());
        return CompactionResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(batch.revision())).build();
    }

    private PutResponse put(TxnWrite txn, PutRequest r) {
        PutResponse.Builder resp = PutResponse.newBuilder();
        KeyValue prev = null;
        if (r.getIgnoreValue() || r.getIgnoreLease() || r.getPrevKv()) {
            List<KeyValue> kvs = txn.range(r.getKey(), null, RangeOptions.LATEST).kvs();
            prev = kvs.isEmpty() ? null : kvs.get(0);
        }
        if ((r.getIgnoreValue() || r.getIgnoreLease()) && prev == null) {
            // etcd stops here with a panic: an earlier op of this txn deleted the key
            throw ServerError.KEY_NOT_FOUND.exception();
        }
        if (r.getPrevKv() && prev != null) {
            resp.setPrevKv(prev);
        }
        long rev = txn.put(r.getKey(),
                r.getIgnoreValue() ? prev.getValue() : r.getValue(),
                r.getIgnoreLease() ? prev.getLease() : r.getLease());
        return resp.setHeader(ResponseHeader.newBuilder().setRevision(rev)).build();
    }

    private DeleteRangeResponse deleteRange(TxnWrite txn, DeleteRangeRequest r) {
        DeleteRangeResponse.Builder resp = DeleteRangeResponse.newBuilder();
        com.google.protobuf.ByteString end = KeyRange.of(r.getKey(), r.getRangeEnd()).end();
        if (r.getPrevKv()) {
            resp.addAllPrevKvs(txn.range(r.getKey(), end, RangeOptions.LATEST).kvs());
        }
        long deleted = txn.deleteRange(r.getKey(), end);
        return resp.setDeleted(deleted)
                .setHeader(ResponseHeader.newBuilder().setRevision(txn.revision())).build();
    }

    /**
     * Checks the ops of the branches {@code path} takes, before any of them runs: every put
     * first, then every range, so that a txn failing both ways reports what etcd reports.
     */
    private void check(ReadView view, TxnRequest r, List<Boolean> path) {
        checkOps(view, r, path.iterator(), RequestOp.RequestCase.REQUEST_PUT);
        checkOps(view, r, path.iterator(), RequestOp.RequestCase.REQUEST_RANGE);
    }

    private void checkOps(ReadView view, TxnRequest r, Iterator<Boolean> path, RequestOp.RequestCase kind) {
        for (RequestOp op : path.next() ? r.getSuccessList() : r.getFailureList()) {
            if (op.getRequestCase() == RequestOp.RequestCase.REQUEST_TXN) {
                checkOps(view, op.getRequestTxn(), path, kind);
            } else if (op.getRequestCase() == kind && kind == RequestOp.RequestCase.REQUEST_PUT) {
                checkPut(view, op.getRequestPut());
            } else if (op.getRequestCase() == kind) {
                checkRange(view, op.getRequestRange());
            }
        }
    }

    private void checkPut(ReadView view, PutRequest r) {
        if (r.getIgnoreValue() || r.getIgnoreLease()) {
            RangeResult rr = view.range(r.getKey(), null, RangeOptions.LATEST);
            if (rr.kvs().isEmpty()) {
                throw ServerError.KEY_NOT_FOUND.exception();
            }
        }
        requireLease(r);
    }

    private void requireLease(PutRequest r) {
        if (r.getLease() != 0 && !leases.exists(r.getLease())) {
            throw ServerError.LEASE_NOT_FOUND.exception();
        }
    }

    private static void checkRange(ReadView view, RangeRequest r) {
        if (r.getRevision() > view.revision()) {
            throw ServerError.FUTURE_REV.exception();
        }
        if (r.getRevision() != 0 && r.getRevision() < view.compactedRevision()) {
            throw ServerError.COMPACTED.exception();
        }
    }

    private TxnResponse.Builder apply(ReadView view, TxnRequest r, Iterator<Boolean> path) {
        boolean succeeded = path.next();
        TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(succeeded);
        for (RequestOp op : succeeded ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder out = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> out.setResponseRange(Ranges.range(view, op.getRequestRange()));
                case REQUEST_PUT -> out.setResponsePut(put((TxnWrite) view, op.getRequestPut()));
                case REQUEST_DELETE_RANGE ->
                        out.setResponseDeleteRange(deleteRange((TxnWrite) view, op.getRequestDeleteRange()));
                case REQUEST_TXN -> out.setResponseTxn(apply(view, op.getRequestTxn(), path)
                        .setHeader(ResponseHeader.getDefaultInstance()));
                default -> throw new IllegalStateException("unchecked empty op in txn");
            }
            resp.addResponses(out);
        }
        return resp;
    }

    /** Whether a txn has any write op in any branch, at any depth. */
    public static boolean hasWrites(TxnRequest r) {
        return hasWrites(r.getSuccessList()) || hasWrites(r.getFailureList());
    }

    /** Whether a txn has any put in any branch, at any depth: what the NOSPACE alarm refuses. */
    public static boolean hasPuts(TxnRequest r) {
        return hasPuts(r.getSuccessList()) || hasPuts(r.getFailureList());
    }

    private static boolean hasWrites(List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (op.hasRequestPut() || op.hasRequestDeleteRange()
                    || (op.hasRequestTxn() && hasWrites(op.getRequestTxn()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPuts(List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (op.hasRequestPut() || (op.hasRequestTxn() && hasPuts(op.getRequestTxn()))) {
                return true;
            }
        }
        return false;
    }
}
