package io.cairn.server.apply;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.etcd.CompactionResponse;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.DeleteRangeResponse;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.LeaseGrantResponse;
import io.cairn.api.etcd.LeaseRevokeResponse;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.ResponseOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The plainest possible keyspace, written from etcd's behaviour rather than from Cairn's code:
 * a full copy of the state at every revision, every revision's events, and the set of leases.
 * Slow and obviously right; the property tests hold the real keyspace to its answers, response
 * for response and error for error, and the watchers to its events.
 *
 * <p>Keys are Latin-1 strings, one char per byte, so that String order is etcd's byte order and
 * the byte 0xff, whose prefix has no range end, can be written. A command either does all it
 * says or fails with an error and changes nothing.
 */
public final class KeyspaceModel {
    private final List<TreeMap<String, KeyValue>> states = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final Set<Long> leases = new TreeSet<>();
    private long compacted = -1;

    /** An empty store holding the given leases (the harness grants them before any key). */
    public KeyspaceModel(long... leases) {
        states.add(new TreeMap<>()); // revision 0, never read
        states.add(new TreeMap<>()); // revision 1: the empty store
        for (long id : leases) {
            this.leases.add(id);
        }
    }

    public static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.ISO_8859_1);
    }

    public static String string(ByteString b) {
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    public long revision() {
        return states.size() - 1;
    }

    public long compacted() {
        return compacted;
    }

    public boolean hasLease(long id) {
        return leases.contains(id);
    }

    /** Every event so far, in revision order, without previous values. */
    public List<Event> events() {
        return events;
    }

    /** The value {@code key} had at {@code revision}, or null. */
    public KeyValue valueAt(long revision, String key) {
        return states.get((int) revision).get(key);
    }

    /**
     * The checks etcd makes before proposing a write (v3rpc's checkPutRequest, checkTxnRequest
     * and checkIntervals); throws the error, for a request that must never reach the log.
     */
    public void check(Command command) {
        switch (command.getOpCase()) {
            case PUT -> checkShape(command.getPut());
            case DELETE_RANGE -> requireKey(command.getDeleteRange().getKey());
            case TXN -> {
                checkShape(command.getTxn());
                Writes.of(command.getTxn().getSuccessList());
                Writes.of(command.getTxn().getFailureList());
            }
            default -> { }
        }
    }

    /** Applies a checked command; throws its error, having changed nothing. */
    public Message apply(Command command) {
        return switch (command.getOpCase()) {
            case PUT -> {
                // etcd's plain put asks about its lease before the key it keeps (a txn's put the other way round)
                PutRequest put = command.getPut();
                if (put.getLease() != 0 && !leases.contains(put.getLease())) {
                    throw ServerError.LEASE_NOT_FOUND.exception();
                }
                checkPut(put);
                Write w = new Write();
                PutResponse resp = w.put(command.getPut());
                w.commit();
                yield resp;
            }
            case DELETE_RANGE -> {
                Write w = new Write();
                DeleteRangeResponse resp = w.delete(command.getDeleteRange());
                w.commit();
                yield resp;
            }
            case TXN -> txn(command.getTxn());
            case COMPACTION -> compact(command.getCompaction().getRevision());
            case LEASE_GRANT -> {
                long id = command.getLeaseGrant().getID();
                if (!leases.add(id)) {
                    throw ServerError.LEASE_EXIST.exception();
                }
                yield LeaseGrantResponse.newBuilder().setID(id).setTTL(command.getLeaseGrant().getTTL())
                        .setHeader(header(revision())).build();
            }
            case LEASE_REVOKE -> revoke(command.getLeaseRevoke().getID());
            default -> throw new IllegalArgumentException("the model has no " + command.getOpCase());
        };
    }

    /** A read outside any write, on the newest committed state, as the local read path serves it. */
    public RangeResponse range(RangeRequest r) {
        requireKey(r.getKey());
        checkRevision(r);
        return read(r, r.getRevision() > 0 ? states.get((int) r.getRevision()) : latest(), revision());
    }

    private TxnResponse txn(TxnRequest t) {
        List<Boolean> path = new ArrayList<>();
        judge(t, path);
        // etcd checks every put on the path first, then every range: a put's error wins
        checkPuts(t, path.iterator());
        checkRanges(t, path.iterator());
        Write w = new Write();
        TxnResponse.Builder resp = w.txn(t, path.iterator());
        w.commit();
        return resp.setHeader(header(w.revision())).build();
    }

    private CompactionResponse compact(long rev) {
        if (rev <= compacted) {
            throw ServerError.COMPACTED.exception();
        }
        if (rev > revision()) {
            throw ServerError.FUTURE_REV.exception();
        }
        compacted = rev;
        return CompactionResponse.newBuilder().setHeader(header(revision())).build();
    }

    /** Deletes the lease's keys in one revision, in key order, then the lease. */
    private LeaseRevokeResponse revoke(long id) {
        if (!leases.remove(id)) {
            throw ServerError.LEASE_NOT_FOUND.exception();
        }
        Write w = new Write();
        for (KeyValue kv : latest().values()) {
            if (kv.getLease() == id) {
                w.delete(DeleteRangeRequest.newBuilder().setKey(kv.getKey()).build());
            }
        }
        w.commit();
        return LeaseRevokeResponse.newBuilder().setHeader(header(revision())).build();
    }

    private TreeMap<String, KeyValue> latest() {
        return states.get(states.size() - 1);
    }

    /** The branch of every txn on the path, outer first, nested depth-first, all on the state before any write. */
    private void judge(TxnRequest t, List<Boolean> path) {
        boolean ok = true;
        for (Compare c : t.getCompareList()) {
            ok &= holds(c);
        }
        path.add(ok);
        for (RequestOp op : ok ? t.getSuccessList() : t.getFailureList()) {
            if (op.hasRequestTxn()) {
                judge(op.getRequestTxn(), path);
            }
        }
    }

    /** A compare over a range holds if it holds for every key; over no key, a value compare fails and the rest compare 0. */
    private boolean holds(Compare c) {
        List<KeyValue> kvs = select(latest(), c.getKey(), c.getRangeEnd());
        if (kvs.isEmpty()) {
            return c.getTarget() != Compare.CompareTarget.VALUE && holds(c, KeyValue.getDefaultInstance());
        }
        return kvs.stream().allMatch(kv -> holds(c, kv));
    }

    private static boolean holds(Compare c, KeyValue kv) {
        int cmp = switch (c.getTarget()) {
            case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
            case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
            case LEASE -> Long.compare(kv.getLease(), c.getLease());
            case VALUE -> string(kv.getValue()).compareTo(string(c.getValue()));
            default -> throw new IllegalArgumentException("no such target " + c.getTarget());
        };
        return switch (c.getResult()) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
            default -> throw new IllegalArgumentException("no such result " + c.getResult());
        };
    }

    private void checkPuts(TxnRequest t, Iterator<Boolean> path) {
        for (RequestOp op : path.next() ? t.getSuccessList() : t.getFailureList()) {
            if (op.hasRequestTxn()) {
                checkPuts(op.getRequestTxn(), path);
            } else if (op.hasRequestPut()) {
                checkPut(op.getRequestPut());
            }
        }
    }

    private void checkRanges(TxnRequest t, Iterator<Boolean> path) {
        for (RequestOp op : path.next() ? t.getSuccessList() : t.getFailureList()) {
            if (op.hasRequestTxn()) {
                checkRanges(op.getRequestTxn(), path);
            } else if (op.hasRequestRange()) {
                checkRevision(op.getRequestRange());
            }
        }
    }

    /** What etcd's applier checks of a put before writing anything, on the state before the request. */
    private void checkPut(PutRequest r) {
        if ((r.getIgnoreValue() || r.getIgnoreLease()) && !latest().containsKey(string(r.getKey()))) {
            throw ServerError.KEY_NOT_FOUND.exception();
        }
        if (r.getLease() != 0 && !leases.contains(r.getLease())) {
            throw ServerError.LEASE_NOT_FOUND.exception();
        }
    }

    private void checkRevision(RangeRequest r) {
        if (r.getRevision() > revision()) {
            throw ServerError.FUTURE_REV.exception();
        }
        if (r.getRevision() > 0 && r.getRevision() < compacted) {
            throw ServerError.COMPACTED.exception();
        }
    }

    private static void checkShape(PutRequest r) {
        requireKey(r.getKey());
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw ServerError.VALUE_PROVIDED.exception();
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw ServerError.LEASE_PROVIDED.exception();
        }
    }

    private static void checkShape(TxnRequest t) {
        for (Compare c : t.getCompareList()) {
            requireKey(c.getKey());
        }
        List<RequestOp> ops = new ArrayList<>(t.getSuccessList());
        ops.addAll(t.getFailureList());
        for (RequestOp op : ops) {
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> requireKey(op.getRequestRange().getKey());
                case REQUEST_PUT -> checkShape(op.getRequestPut());
                case REQUEST_DELETE_RANGE -> requireKey(op.getRequestDeleteRange().getKey());
                case REQUEST_TXN -> checkShape(op.getRequestTxn());
                default -> throw ServerError.KEY_NOT_FOUND.exception(); // an empty op, as etcd answers it
            }
        }
    }

    private static void requireKey(ByteString key) {
        if (key.isEmpty()) {
            throw ServerError.EMPTY_KEY.exception();
        }
    }

    /** A range's answer from one state: the count before filters and limit, as etcd counts. */
    private static RangeResponse read(RangeRequest r, TreeMap<String, KeyValue> state, long revision) {
        List<KeyValue> all = select(state, r.getKey(), r.getRangeEnd());
        RangeResponse.Builder resp = RangeResponse.newBuilder().setHeader(header(revision)).setCount(all.size());
        if (r.getCountOnly()) {
            return resp.build();
        }
        boolean filtered = r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
                || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
        // etcd reads everything only to sort by an asked order or to filter; otherwise it reads
        // one past the limit in key order, and a target's default order sorts just those
        long read = r.getSortOrder() != RangeRequest.SortOrder.NONE || filtered || r.getLimit() == 0
                ? Long.MAX_VALUE : r.getLimit() + 1;
        List<KeyValue> kvs = all.stream()
                .limit(read)
                .filter(kv -> r.getMinModRevision() == 0 || kv.getModRevision() >= r.getMinModRevision())
                .filter(kv -> r.getMaxModRevision() == 0 || kv.getModRevision() <= r.getMaxModRevision())
                .filter(kv -> r.getMinCreateRevision() == 0 || kv.getCreateRevision() >= r.getMinCreateRevision())
                .filter(kv -> r.getMaxCreateRevision() == 0 || kv.getCreateRevision() <= r.getMaxCreateRevision())
                .sorted(order(r))
                .toList();
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            resp.setMore(true);
        }
        for (KeyValue kv : kvs) {
            resp.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return resp.build();
    }

    /**
     * etcd's order for a range: key order unless asked otherwise; a target other than the key
     * with no order is ascending; ties stay in key order (etcd's sort of so few keys is stable).
     */
    private static Comparator<KeyValue> order(RangeRequest r) {
        RangeRequest.SortOrder order = r.getSortOrder();
        if (order == RangeRequest.SortOrder.NONE && r.getSortTarget() != RangeRequest.SortTarget.KEY) {
            order = RangeRequest.SortOrder.ASCEND;
        }
        if (order == RangeRequest.SortOrder.NONE) {
            return (a, b) -> 0;
        }
        Comparator<KeyValue> by = switch (r.getSortTarget()) {
            case KEY -> Comparator.comparing(KeyValue::getKey, ByteString.unsignedLexicographicalComparator());
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> Comparator.comparing(KeyValue::getValue, ByteString.unsignedLexicographicalComparator());
            case UNRECOGNIZED -> throw new IllegalArgumentException("no such sort target");
        };
        return order == RangeRequest.SortOrder.DESCEND ? by.reversed() : by;
    }

    /** The keys of a request's range: no end for the key alone, "\0" for every key from it, else up to the end. */
    private static List<KeyValue> select(TreeMap<String, KeyValue> state, ByteString keyBytes, ByteString endBytes) {
        String key = string(keyBytes);
        String end = string(endBytes);
        if (end.isEmpty()) {
            return state.containsKey(key) ? List.of(state.get(key)) : List.of();
        }
        if (end.equals("\0")) {
            return List.copyOf(state.tailMap(key, true).values());
        }
        return key.compareTo(end) >= 0 ? List.of() : List.copyOf(state.subMap(key, true, end, false).values());
    }

    private static ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    /** One command's changes to a copy of the newest state, all at the next revision; kept only by commit. */
    private final class Write {
        private final TreeMap<String, KeyValue> state = new TreeMap<>(latest());
        private final long rev = KeyspaceModel.this.revision() + 1;
        private final List<Event> changes = new ArrayList<>();

        /** What its reads see, and its responses say: the next revision once it has changed something. */
        long revision() {
            return changes.isEmpty() ? rev - 1 : rev;
        }

        TxnResponse.Builder txn(TxnRequest t, Iterator<Boolean> path) {
            boolean ok = path.next();
            TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(ok);
            for (RequestOp op : ok ? t.getSuccessList() : t.getFailureList()) {
                ResponseOp.Builder out = ResponseOp.newBuilder();
                switch (op.getRequestCase()) {
                    case REQUEST_RANGE -> out.setResponseRange(range(op.getRequestRange()));
                    case REQUEST_PUT -> out.setResponsePut(put(op.getRequestPut()));
                    case REQUEST_DELETE_RANGE -> out.setResponseDeleteRange(delete(op.getRequestDeleteRange()));
                    case REQUEST_TXN -> out.setResponseTxn(txn(op.getRequestTxn(), path)
                            .setHeader(ResponseHeader.getDefaultInstance())); // etcd's nested headers are empty
                    default -> throw new IllegalStateException("unchecked empty op");
                }
                resp.addResponses(out);
            }
            return resp;
        }

        RangeResponse range(RangeRequest r) {
            return read(r, r.getRevision() > 0 ? states.get((int) r.getRevision()) : state, revision());
        }

        /**
         * An ignore_value or ignore_lease put needs the key as it is at this point of the
         * command: a delete earlier in the same txn may have removed it since the checks.
         */
        PutResponse put(PutRequest r) {
            String key = string(r.getKey());
            KeyValue prev = state.get(key);
            if ((r.getIgnoreValue() || r.getIgnoreLease()) && prev == null) {
                throw ServerError.KEY_NOT_FOUND.exception();
            }
            KeyValue kv = KeyValue.newBuilder().setKey(r.getKey())
                    .setValue(r.getIgnoreValue() ? prev.getValue() : r.getValue())
                    .setLease(r.getIgnoreLease() ? prev.getLease() : r.getLease())
                    .setCreateRevision(prev == null ? rev : prev.getCreateRevision())
                    .setModRevision(rev)
                    .setVersion(prev == null ? 1 : prev.getVersion() + 1).build();
            state.put(key, kv);
            changes.add(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build());
            PutResponse.Builder resp = PutResponse.newBuilder().setHeader(header(rev));
            if (r.getPrevKv() && prev != null) {
                resp.setPrevKv(prev);
            }
            return resp.build();
        }

        DeleteRangeResponse delete(DeleteRangeRequest r) {
            List<KeyValue> doomed = select(state, r.getKey(), r.getRangeEnd());
            for (KeyValue kv : doomed) {
                state.remove(string(kv.getKey()));
                changes.add(Event.newBuilder().setType(Event.EventType.DELETE)
                        .setKv(KeyValue.newBuilder().setKey(kv.getKey()).setModRevision(rev)).build());
            }
            DeleteRangeResponse.Builder resp = DeleteRangeResponse.newBuilder().setDeleted(doomed.size())
                    .setHeader(header(revision()));
            if (r.getPrevKv()) {
                resp.addAllPrevKvs(doomed);
            }
            return resp.build();
        }

        void commit() {
            if (!changes.isEmpty()) {
                states.add(state);
                events.addAll(changes);
            }
        }
    }

    /**
     * etcd's checkIntervals: the keys one branch puts and the ranges it deletes, nested txns
     * included. A key may not be put twice, nor put and deleted, except by the two exclusive
     * branches of one nested txn. A delete's range end is taken literally: "\0" is not "to the
     * end" here, so deleting from "a" to "\0" clashes with no put.
     */
    private record Writes(Set<String> puts, List<String[]> deletes) {
        static Writes of(List<RequestOp> ops) {
            Writes w = new Writes(new TreeSet<>(), new ArrayList<>());
            for (RequestOp op : ops) {
                if (op.hasRequestDeleteRange()) {
                    DeleteRangeRequest d = op.getRequestDeleteRange();
                    w.deletes.add(new String[] {string(d.getKey()), string(d.getRangeEnd())});
                }
            }
            for (RequestOp op : ops) {
                if (op.hasRequestTxn()) {
                    Writes then = of(op.getRequestTxn().getSuccessList());
                    Writes otherwise = of(op.getRequestTxn().getFailureList());
                    for (String k : then.puts) {
                        w.add(k, false);
                    }
                    for (String k : otherwise.puts) {
                        w.add(k, then.puts.contains(k));
                    }
                    w.deletes.addAll(then.deletes);
                    w.deletes.addAll(otherwise.deletes);
                }
            }
            for (RequestOp op : ops) {
                if (op.hasRequestPut()) {
                    w.add(string(op.getRequestPut().getKey()), false);
                }
            }
            return w;
        }

        private void add(String key, boolean exclusive) {
            if ((puts.contains(key) && !exclusive) || deleted(key)) {
                throw ServerError.DUPLICATE_KEY.exception();
            }
            puts.add(key);
        }

        private boolean deleted(String key) {
            for (String[] d : deletes) {
                boolean hit = d[1].isEmpty() ? d[0].equals(key) : d[0].compareTo(key) <= 0 && key.compareTo(d[1]) < 0;
                if (hit) {
                    return true;
                }
            }
            return false;
        }
    }
}
