package io.cairn.server.apply;

import io.cairn.server.storage.KeyRange;
import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.mvcc.RangeOptions;
import io.cairn.server.storage.mvcc.RangeResult;
import io.cairn.server.storage.mvcc.ReadView;
import java.util.ArrayList;
import java.util.List;

/** etcd's txn guards: how a {@link Compare} is judged against the keyspace. */
final class Compares {
    private Compares() {
    }

    /**
     * The branch each txn takes, outermost first then nested txns depth-first, all judged on
     * {@code view} before any of the txn's writes — as etcd does.
     */
    static List<Boolean> path(ReadView view, TxnRequest txn) {
        List<Boolean> path = new ArrayList<>();
        collect(view, txn, path);
        return path;
    }

    private static void collect(ReadView view, TxnRequest txn, List<Boolean> path) {
        boolean succeeded = all(view, txn.getCompareList());
        path.add(succeeded);
        for (RequestOp op : succeeded ? txn.getSuccessList() : txn.getFailureList()) {
            if (op.hasRequestTxn()) {
                collect(view, op.getRequestTxn(), path);
            }
        }
    }

    static boolean all(ReadView view, List<Compare> compares) {
        for (Compare c : compares) {
            if (!holds(view, c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(ReadView view, Compare c) {
        RangeResult rr;
        try {
            rr = view.range(c.getKey(), KeyRange.of(c.getKey(), c.getRangeEnd()).end(), RangeOptions.LATEST);
        } catch (ServerException e) {
            return false;
        }
        if (rr.kvs().isEmpty()) {
            // a missing key has no value to compare; its revisions, version and lease are 0
            return c.getTarget() != Compare.CompareTarget.VALUE && holds(c, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : rr.kvs()) {
            if (!holds(c, kv)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Compare c, KeyValue kv) {
        int result = switch (c.getTarget()) {
            case VALUE -> KeyRange.ORDER.compare(kv.getValue(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE ? c.getValue() : ByteString.EMPTY);
            case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
            case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
            case LEASE -> Long.compare(kv.getLease(), c.getLease());
            default -> 0;
        };
        return switch (c.getResult()) {
            case EQUAL -> result == 0;
            case NOT_EQUAL -> result != 0;
            case GREATER -> result > 0;
            case LESS -> result < 0;
            default -> true;
        };
    }
}
