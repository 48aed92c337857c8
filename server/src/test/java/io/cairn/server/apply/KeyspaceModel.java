package io.cairn.server.apply;

import io.cairn.api.etcd.KeyValue;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plainest possible keyspace: a full copy of the state at every revision. Slow and obviously
 * right; the property test holds the real keyspace to its answers.
 */
final class KeyspaceModel {
    /** A read's answer. */
    record Answer(List<KeyValue> kvs, long count, boolean more, long revision) {
    }

    private final List<TreeMap<String, KeyValue>> states = new ArrayList<>();
    private long compacted = -1;
    /** The state a txn in progress writes to, or null. */
    private TreeMap<String, KeyValue> pending;

    KeyspaceModel() {
        states.add(new TreeMap<>()); // revision 0, never read
        states.add(new TreeMap<>()); // revision 1: the empty store
    }

    long revision() {
        return states.size() - 1;
    }

    /** Starts a write transaction: every write until commit shares the next revision. */
    void begin() {
        pending = new TreeMap<>(states.get(states.size() - 1));
    }

    /** Ends it; the revision moves on only if something changed. */
    void commit() {
        if (!pending.equals(states.get(states.size() - 1))) {
            states.add(pending);
        }
        pending = null;
    }

    /** The revision reads inside the transaction see. */
    long txnRevision() {
        return pending.equals(states.get(states.size() - 1)) ? revision() : revision() + 1;
    }

    void put(String key, String value) {
        long rev = revision() + 1;
        KeyValue prev = pending.get(key);
        pending.put(key, KeyValue.newBuilder().setKey(Keyspace.bytes(key)).setValue(Keyspace.bytes(value))
                .setCreateRevision(prev == null ? rev : prev.getCreateRevision())
                .setModRevision(rev)
                .setVersion(prev == null ? 1 : prev.getVersion() + 1).build());
    }

    long delete(String key, String end) {
        List<String> doomed = new ArrayList<>(select(pending, key, end).keySet());
        doomed.forEach(pending::remove);
        return doomed.size();
    }

    /** The current value of {@code key} within the transaction, or null. */
    KeyValue current(String key) {
        return pending.get(key);
    }

    Answer range(String key, String end, long atRev, long limit) {
        return range(key, end, atRev, limit, pending == null ? states.get(states.size() - 1) : pending,
                pending == null ? revision() : txnRevision());
    }

    private Answer range(String key, String end, long atRev, long limit, TreeMap<String, KeyValue> latest, long current) {
        if (atRev > current) {
            throw ServerError.FUTURE_REV.exception();
        }
        TreeMap<String, KeyValue> state = atRev <= 0 ? latest : states.get((int) atRev);
        if (atRev > 0 && atRev < compacted) {
            throw ServerError.COMPACTED.exception();
        }
        List<KeyValue> all = new ArrayList<>(select(state, key, end).values());
        boolean more = limit > 0 && all.size() > limit;
        List<KeyValue> kvs = more ? all.subList(0, (int) limit) : all;
        return new Answer(kvs, all.size(), more, current);
    }

    void compact(long rev) {
        if (rev <= compacted) {
            throw new ServerException(ServerError.COMPACTED);
        }
        if (rev > revision()) {
            throw new ServerException(ServerError.FUTURE_REV);
        }
        compacted = rev;
    }

    long compacted() {
        return compacted;
    }

    /** end: null for the key alone, "\0" for every key from it, otherwise exclusive. */
    private static Map<String, KeyValue> select(TreeMap<String, KeyValue> state, String key, String end) {
        if (end == null) {
            return state.containsKey(key) ? Map.of(key, state.get(key)) : Map.of();
        }
        if (end.equals("\0")) {
            return state.tailMap(key, true);
        }
        return key.compareTo(end) >= 0 ? Map.of() : state.subMap(key, true, end, false);
    }
}
