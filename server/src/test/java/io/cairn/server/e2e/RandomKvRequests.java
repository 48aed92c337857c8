package io.cairn.server.e2e;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import java.util.List;
import java.util.Random;

/**
 * Random KV requests of every shape a client can send: nested txns of puts, deletes and ranges
 * with every kind of range end ({@code "\0"}, prefix, explicit, inverted, none), {@code prev_kv},
 * {@code ignore_value}, {@code ignore_lease}, leases, and compares on every target. Keys come
 * from a small pool so that requests collide. Revisions are drawn around {@link #revision}, which
 * the caller keeps current.
 */
final class RandomKvRequests {
    private static final List<ByteString> KEYS = List.of(bs("a"), bs("ab"), bs("abc"), bs("b"), bs("ba"), bs("c"),
            bs("foo"), bs("foo/1"), bs("foo/2"), ByteString.copyFrom(new byte[] {'z', 0}),
            ByteString.copyFrom(new byte[] {(byte) 0xff}));
    private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});
    private final Random random;
    private final List<Long> leases;
    /** The store's current revision, as the caller last saw it. */
    long revision = 1;

    /** @param leases ids of leases the caller keeps granted; others are drawn at times too */
    RandomKvRequests(Random random, List<Long> leases) {
        this.random = random;
        this.leases = leases;
    }

    TxnRequest txn(int depth) {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            t.addCompare(compare());
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            t.addSuccess(op(depth));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            t.addFailure(op(depth));
        }
        return t.build();
    }

    private RequestOp op(int depth) {
        int pick = random.nextInt(depth > 0 ? 10 : 9);
        RequestOp.Builder op = RequestOp.newBuilder();
        if (pick < 4) {
            op.setRequestPut(put());
        } else if (pick < 6) {
            op.setRequestDeleteRange(delete());
        } else if (pick < 9) {
            op.setRequestRange(range());
        } else {
            op.setRequestTxn(txn(depth - 1));
        }
        return op.build();
    }

    PutRequest put() {
        PutRequest.Builder p = PutRequest.newBuilder().setKey(key()).setPrevKv(random.nextInt(3) == 0);
        int shape = random.nextInt(10);
        if (shape == 0) {
            p.setIgnoreValue(true);
        } else if (shape == 1) {
            p.setIgnoreLease(true).setValue(value());
        } else if (shape == 2) {
            p.setIgnoreValue(true).setIgnoreLease(true);
        } else {
            p.setValue(value());
        }
        if (!p.getIgnoreLease() && random.nextInt(4) == 0) {
            p.setLease(lease());
        }
        if (random.nextInt(50) == 0) { // contradictory flags, refused by both
            p.setIgnoreValue(true).setValue(value());
        }
        return p.build();
    }

    DeleteRangeRequest delete() {
        ByteString key = key();
        return DeleteRangeRequest.newBuilder().setKey(key).setRangeEnd(end(key))
                .setPrevKv(random.nextBoolean()).build();
    }

    RangeRequest range() {
        ByteString key = key();
        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(key).setRangeEnd(end(key));
        if (random.nextInt(3) == 0) {
            r.setLimit(random.nextInt(4));
        }
        if (random.nextInt(4) == 0) {
            r.setRevision(Math.max(0, revision - 3 + random.nextInt(5)));
        }
        if (random.nextInt(8) == 0) {
            r.setCountOnly(true);
        }
        if (random.nextInt(8) == 0) {
            r.setKeysOnly(true);
        }
        if (random.nextInt(5) == 0) {
            r.setSortOrder(RangeRequest.SortOrder.forNumber(random.nextInt(3)))
                    .setSortTarget(RangeRequest.SortTarget.forNumber(random.nextInt(5)));
        }
        if (random.nextInt(8) == 0) {
            r.setMinModRevision(Math.max(0, revision - random.nextInt(6)));
        }
        if (random.nextInt(8) == 0) {
            r.setMaxCreateRevision(Math.max(0, revision - random.nextInt(6)));
        }
        return r.build();
    }

    private Compare compare() {
        ByteString key = key();
        Compare.Builder c = Compare.newBuilder().setKey(key)
                .setResult(Compare.CompareResult.forNumber(random.nextInt(4)));
        if (random.nextInt(4) == 0) {
            c.setRangeEnd(end(key));
        }
        switch (random.nextInt(5)) {
            case 0 -> c.setTarget(Compare.CompareTarget.VERSION).setVersion(random.nextInt(4));
            case 1 -> c.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(Math.max(0, revision - random.nextInt(8)));
            case 2 -> c.setTarget(Compare.CompareTarget.MOD).setModRevision(Math.max(0, revision - random.nextInt(8)));
            case 3 -> c.setTarget(Compare.CompareTarget.VALUE).setValue(value());
            default -> c.setTarget(Compare.CompareTarget.LEASE).setLease(random.nextBoolean() ? 0 : lease());
        }
        return c.build();
    }

    ByteString key() {
        return KEYS.get(random.nextInt(KEYS.size()));
    }

    /** None (the key alone), "\0" (to the end), the key's prefix end, or another key. */
    private ByteString end(ByteString key) {
        return switch (random.nextInt(5)) {
            case 0, 1 -> ByteString.EMPTY;
            case 2 -> ALL;
            case 3 -> prefixEnd(key);
            default -> key();
        };
    }

    private ByteString value() {
        return bs("v" + random.nextInt(4));
    }

    private long lease() {
        return random.nextInt(8) == 0 ? 0x7777 : leases.get(random.nextInt(leases.size()));
    }

    static ByteString prefixEnd(ByteString key) {
        byte[] end = key.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ALL; // every byte is 0xff: the prefix runs to the end of the keyspace
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
