package io.cairn.server.apply;

import static io.cairn.server.apply.KeyspaceModel.bytes;

import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.server.command.Command;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Random KV requests of every shape a client can send: single keys and ranges with each kind of
 * range end, every filter and sort, puts with leases and every flag, deletes, compactions, lease grants and revokes, and
 * txns with several compares of every target and nested txns; now and then one that etcd
 * refuses. Revisions are aimed around the model's current and compacted revisions, so that
 * reads in the past, in the future and below the compaction all happen.
 */
public final class RandomRequests {
    /**
     * Few keys, so that requests collide, on the edges of byte order: the smallest key, keys one
     * byte apart, and 0xff bytes, whose prefix has no range end.
     */
    public static final List<String> KEYS = List.of("\0", "a", "a\0", "ab", "a\u00ff", "b", "ba", "\u00ff", "\u00ff\u00ff");
    /** Lease 42 always exists; 7 and 8 come and go. */
    private static final long[] LEASES = {42, 7, 8};

    private final Random random;
    private final KeyspaceModel model;

    public RandomRequests(Random random, KeyspaceModel model) {
        this.random = random;
        this.model = model;
    }

    /** A write command: mostly puts, deletes and txns, sometimes compaction or a lease change. */
    public Command write() {
        int kind = random.nextInt(100);
        Command.Builder c = Command.newBuilder();
        if (kind < 30) {
            return c.setPut(put(key())).build();
        } else if (kind < 45) {
            return c.setDeleteRange(delete(key())).build();
        } else if (kind < 88) {
            return c.setTxn(txn(true, 0)).build();
        } else if (kind < 92) {
            long at = random.nextInt(4) == 0 ? model.compacted() + random.nextInt(2) : 1 + random.nextInt((int) model.revision() + 1);
            return c.setCompaction(CompactionRequest.newBuilder().setRevision(at).setPhysical(random.nextBoolean())).build();
        } else if (kind < 96) {
            return c.setLeaseGrant(LeaseGrantRequest.newBuilder().setID(7 + random.nextInt(2)).setTTL(60)).build();
        }
        return c.setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(7 + random.nextInt(2))).build();
    }

    /** A txn that only reads, as the local read path serves it. */
    public TxnRequest readTxn() {
        return txn(false, 0);
    }

    public RangeRequest range() {
        String key = key();
        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(bytes(key)).setRangeEnd(bytes(end(key)))
                .setRevision(random.nextInt(5) < 3 ? 0 : revision());
        if (random.nextBoolean()) {
            r.setLimit(1 + random.nextInt(3));
        }
        if (random.nextInt(6) == 0) {
            r.setCountOnly(true);
        }
        if (random.nextInt(8) == 0) {
            r.setKeysOnly(true);
        }
        if (random.nextInt(8) == 0) {
            r.setMinModRevision(revision());
        }
        if (random.nextInt(8) == 0) {
            r.setMaxModRevision(revision());
        }
        if (random.nextInt(8) == 0) {
            r.setMinCreateRevision(revision());
        }
        if (random.nextInt(8) == 0) {
            r.setMaxCreateRevision(revision());
        }
        if (random.nextInt(3) == 0) {
            r.setSortOrder(RangeRequest.SortOrder.forNumber(random.nextInt(3)))
                    .setSortTarget(RangeRequest.SortTarget.forNumber(random.nextInt(5)));
        }
        return r.build();
    }

    /** A key of {@link #KEYS}, or now and then the empty key that every request refuses. */
    public String key() {
        return random.nextInt(40) == 0 ? "" : KEYS.get(random.nextInt(KEYS.size()));
    }

    /** A range end for {@code key}: none (the key alone), "\0" (from the key on), its prefix end, or any key. */
    public String end(String key) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> "";
            case 2 -> "\0";
            case 3 -> prefixEnd(key);
            case 4 -> "c";
            default -> KEYS.get(random.nextInt(KEYS.size())); // at or before the key, the range is empty
        };
    }

    /** etcd's prefix end: the last byte below 0xff incremented, the rest dropped; "\0" if there is none. */
    public static String prefixEnd(String key) {
        for (int i = key.length() - 1; i >= 0; i--) {
            if (key.charAt(i) < 0xff) {
                return key.substring(0, i) + (char) (key.charAt(i) + 1);
            }
        }
        return "\0";
    }

    private PutRequest put(String key) {
        PutRequest.Builder p = PutRequest.newBuilder().setKey(bytes(key)).setPrevKv(random.nextInt(3) == 0);
        boolean ignoreValue = random.nextInt(6) == 0;
        boolean ignoreLease = random.nextInt(6) == 0;
        // an ignored field is almost always left empty; when it is not, etcd refuses the request
        if (!ignoreValue || random.nextInt(10) == 0) {
            p.setValue(bytes(value()));
        }
        if ((!ignoreLease || random.nextInt(10) == 0) && random.nextBoolean()) {
            p.setLease(LEASES[random.nextInt(LEASES.length)]);
        }
        return p.setIgnoreValue(ignoreValue).setIgnoreLease(ignoreLease).build();
    }

    private DeleteRangeRequest delete(String key) {
        return DeleteRangeRequest.newBuilder().setKey(bytes(key)).setRangeEnd(bytes(end(key)))
                .setPrevKv(random.nextInt(3) == 0).build();
    }

    private String value() {
        StringBuilder v = new StringBuilder();
        for (int n = random.nextInt(3); n > 0; n--) {
            v.append("xyz".charAt(random.nextInt(3)));
        }
        return v.toString();
    }

    /** Around the current revision: from 0 to one past it, where reads are refused as future. */
    private long revision() {
        return random.nextInt((int) model.revision() + 2);
    }

    private TxnRequest txn(boolean writes, int depth) {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        for (int n = random.nextInt(4); n > 0; n--) {
            t.addCompare(compare());
        }
        return t.addAllSuccess(branch(writes, depth, 1 + random.nextInt(4)))
                .addAllFailure(branch(writes, depth, random.nextInt(3))).build();
    }

    private Compare compare() {
        String key = key();
        Compare.Builder c = Compare.newBuilder().setKey(bytes(key))
                .setResult(Compare.CompareResult.forNumber(random.nextInt(4)));
        if (random.nextInt(5) == 0) {
            c.setRangeEnd(bytes(end(key)));
        }
        switch (random.nextInt(5)) {
            case 0 -> c.setTarget(Compare.CompareTarget.VERSION).setVersion(random.nextInt(4));
            case 1 -> c.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(revision());
            case 2 -> c.setTarget(Compare.CompareTarget.MOD).setModRevision(revision());
            case 3 -> c.setTarget(Compare.CompareTarget.VALUE).setValue(bytes(value()));
            default -> c.setTarget(Compare.CompareTarget.LEASE).setLease(random.nextBoolean() ? 0 : LEASES[random.nextInt(3)]);
        }
        return c.build();
    }

    /**
     * The ops of one branch. Keys are mostly dealt without repeats, so that most txns are valid
     * and write several keys in one revision; the rest may clash and be refused as duplicates.
     */
    private List<RequestOp> branch(boolean writes, int depth, int size) {
        List<String> shuffled = new ArrayList<>(KEYS);
        Collections.shuffle(shuffled, random);
        Deque<String> deck = new ArrayDeque<>(shuffled);
        List<RequestOp> ops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String key = random.nextInt(6) == 0 || deck.isEmpty() ? key() : deck.pop();
            int kind = random.nextInt(writes ? 100 : 30) + (writes ? 0 : 70);
            RequestOp.Builder op = RequestOp.newBuilder();
            if (kind < 40) {
                op.setRequestPut(put(key));
            } else if (kind < 64) {
                DeleteRangeRequest d = delete(key);
                // a range delete clashes with most puts of the branch: keep most deletes to one key
                op.setRequestDeleteRange(random.nextInt(3) == 0 ? d : d.toBuilder().clearRangeEnd().build());
            } else if (kind == 64) {
                // leaves the op empty, which etcd refuses
            } else if (kind < 85 || depth >= 2) {
                RangeRequest r = range();
                op.setRequestRange(r.toBuilder().setKey(bytes(key)).build());
            } else {
                op.setRequestTxn(txn(writes, depth + 1));
            }
            ops.add(op.build());
        }
        return ops;
    }
}
