package io.cairn.server.apply;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.KeyRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape checks etcd makes before a request goes anywhere near raft: empty keys,
 * contradictory flags, too many txn ops, and a txn writing one key twice; and one of Cairn's
 * own, values that no enum defines. Each failure throws
 * the {@link io.cairn.server.errors.ServerException} etcd's clients expect.
 */
public final class RequestChecks {
    private final int maxTxnOps;

    public RequestChecks(int maxTxnOps) {
        this.maxTxnOps = maxTxnOps;
    }

    public void range(RangeRequest r) {
        requireKey(r.getKey());
        requireKnown(r.getSortOrder());
        requireKnown(r.getSortTarget());
    }

    public void put(PutRequest r) {
        requireKey(r.getKey());
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw ServerError.VALUE_PROVIDED.exception();
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw ServerError.LEASE_PROVIDED.exception();
        }
    }

    public void deleteRange(DeleteRangeRequest r) {
        requireKey(r.getKey());
    }

    public void txn(TxnRequest r) {
        txnShape(r);
        new Writes().collect(r.getSuccessList());
        new Writes().collect(r.getFailureList());
    }

    private void txnShape(TxnRequest r) {
        int ops = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (ops > maxTxnOps) {
            throw ServerError.TOO_MANY_OPS.exception();
        }
        for (Compare c : r.getCompareList()) {
            requireKey(c.getKey());
            requireKnown(c.getTarget());
            requireKnown(c.getResult());
        }
        for (RequestOp op : r.getSuccessList()) {
            op(op);
        }
        for (RequestOp op : r.getFailureList()) {
            op(op);
        }
    }

    private void op(RequestOp op) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> range(op.getRequestRange());
            case REQUEST_PUT -> put(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> deleteRange(op.getRequestDeleteRange());
            case REQUEST_TXN -> txnShape(op.getRequestTxn());
            default -> throw ServerError.KEY_NOT_FOUND.exception(); // an empty op, as etcd answers it
        }
    }

    /** A value no enum constant defines would otherwise be read as some default: refuse it. */
    public static void requireKnown(com.google.protobuf.ProtocolMessageEnum value) {
        if (value instanceof Enum<?> e && e.name().equals("UNRECOGNIZED")) {
            throw ServerError.UNKNOWN_ENUM.exception();
        }
    }

    private static void requireKey(ByteString key) {
        if (key.isEmpty()) {
            throw ServerError.EMPTY_KEY.exception();
        }
    }

    /**
     * The keys one branch of a txn writes, nested txns included: no key may be put twice, nor
     * put and deleted, except by the two exclusive branches of one nested txn. Like etcd, a
     * delete's range end is taken literally here ({@code "\0"} is not "to the end").
     */
    private static final class Writes {
        private final Set<ByteString> puts = new HashSet<>();
        private final List<ByteString[]> deletes = new ArrayList<>();

        Writes collect(List<RequestOp> ops) {
            for (RequestOp op : ops) {
                if (op.hasRequestDeleteRange()) {
                    DeleteRangeRequest d = op.getRequestDeleteRange();
                    deletes.add(new ByteString[] {d.getKey(), d.getRangeEnd()});
                }
            }
            for (RequestOp op : ops) {
                if (!op.hasRequestTxn()) {
                    continue;
                }
                Writes then = new Writes().collect(op.getRequestTxn().getSuccessList());
                Writes otherwise = new Writes().collect(op.getRequestTxn().getFailureList());
                for (ByteString k : then.puts) {
                    addPut(k);
                }
                for (ByteString k : otherwise.puts) {
                    if (!then.puts.contains(k)) {
                        addPut(k);
                    } else if (deleted(k)) {
                        throw ServerError.DUPLICATE_KEY.exception();
                    }
                }
                deletes.addAll(then.deletes);
                deletes.addAll(otherwise.deletes);
            }
            for (RequestOp op : ops) {
                if (op.hasRequestPut()) {
                    addPut(op.getRequestPut().getKey());
                }
            }
            return this;
        }

        private void addPut(ByteString key) {
            if (!puts.add(key) || deleted(key)) {
                throw ServerError.DUPLICATE_KEY.exception();
            }
        }

        private boolean deleted(ByteString key) {
            var order = KeyRange.ORDER;
            for (ByteString[] d : deletes) {
                boolean hit = d[1].isEmpty()
                        ? d[0].equals(key)
                        : order.compare(d[0], key) <= 0 && order.compare(key, d[1]) < 0;
                if (hit) {
                    return true;
                }
            }
            return false;
        }
    }
}
