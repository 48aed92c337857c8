package io.cairn.server.apply;

import io.cairn.server.storage.KeyRange;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.storage.mvcc.RangeOptions;
import io.cairn.server.storage.mvcc.RangeResult;
import io.cairn.server.storage.mvcc.ReadView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** etcd's Range: filters, sorting, limit and the {@code more} flag over a {@link ReadView}. */
public final class Ranges {
    private static final Comparator<KeyValue> BY_KEY =
            Comparator.comparing(KeyValue::getKey, KeyRange.ORDER);

    private Ranges() {
    }

    /** Serves {@code r} from {@code view}; the header carries only the revision. */
    public static RangeResponse range(ReadView view, RangeRequest r) {
        boolean filtered = r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
                || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
        long limit = r.getLimit();
        if (r.getSortOrder() != RangeRequest.SortOrder.NONE || filtered) {
            limit = 0; // everything is needed to sort or filter before truncating
        }
        if (limit > 0) {
            limit++; // one more tells whether there are more
        }
        RangeResult rr = view.range(r.getKey(), KeyRange.of(r.getKey(), r.getRangeEnd()).end(),
                new RangeOptions(limit, r.getRevision(), r.getCountOnly()));
        List<KeyValue> kvs = new ArrayList<>(rr.kvs());
        prune(kvs, r.getMaxModRevision() != 0, kv -> kv.getModRevision() > r.getMaxModRevision());
        prune(kvs, r.getMinModRevision() != 0, kv -> kv.getModRevision() < r.getMinModRevision());
        prune(kvs, r.getMaxCreateRevision() != 0, kv -> kv.getCreateRevision() > r.getMaxCreateRevision());
        prune(kvs, r.getMinCreateRevision() != 0, kv -> kv.getCreateRevision() < r.getMinCreateRevision());
        sort(kvs, r);

        RangeResponse.Builder resp = RangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(rr.revision()))
                .setCount(rr.count());
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            resp.setMore(true);
        }
        for (KeyValue kv : kvs) {
            resp.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return resp.build();
    }

    private static void prune(List<KeyValue> kvs, boolean active, Predicate<KeyValue> drop) {
        if (active) {
            kvs.removeIf(drop);
        }
    }

    private static void sort(List<KeyValue> kvs, RangeRequest r) {
        RangeRequest.SortOrder order = r.getSortOrder();
        if (r.getSortTarget() != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
            order = RangeRequest.SortOrder.ASCEND; // the store returns key order already
        }
        if (order == RangeRequest.SortOrder.NONE || order == RangeRequest.SortOrder.UNRECOGNIZED) {
            return;
        }
        Comparator<KeyValue> by = switch (r.getSortTarget()) {
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> Comparator.comparing(KeyValue::getValue,
                    KeyRange.ORDER);
            default -> BY_KEY;
        };
        kvs.sort(order == RangeRequest.SortOrder.DESCEND ? by.reversed() : by);
    }
}
