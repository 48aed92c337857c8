package io.cairn.server.robust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what watchers of one range saw against each other and against the clients' history,
 * for a run in which every revision wrote exactly one key of the range: each watcher must see
 * every revision from its start to the end exactly once and in order, all watchers must agree on
 * what each revision wrote, every acknowledged write must be among the events, and no event may
 * carry a value nobody wrote.
 */
public final class WatchCompleteness {
    /** One event as a watcher received it; {@code value} null for a delete. */
    public record Seen(long revision, String key, String value) {
    }

    private WatchCompleteness() {
    }

    /**
     * The anomalies found, at most one per watcher and kind so the report stays short; empty when
     * there are none.
     *
     * @param watchers what each watcher received, in order, by its name
     * @param from     the first revision every watcher asked for
     * @param to       the last revision written in the run
     * @param history  the clients' operations on the range's keys
     */
    public static List<String> check(Map<String, List<Seen>> watchers, long from, long to, List<RegisterOp> history) {
        List<String> anomalies = new ArrayList<>();
        Map<Long, Seen> agreed = new HashMap<>();
        Map<Long, String> agreedBy = new HashMap<>();
        for (Map.Entry<String, List<Seen>> w : watchers.entrySet()) {
            String name = w.getKey();
            long expected = from;
            boolean orderReported = false;
            boolean disagreementReported = false;
            for (Seen s : w.getValue()) {
                if (s.revision() != expected && !orderReported) {
                    anomalies.add(name + ": " + (s.revision() < expected
                            ? "revision " + s.revision() + " again or out of order, after " + (expected - 1)
                            : "revisions " + expected + ".." + (s.revision() - 1) + " skipped, then " + s.revision()));
                    orderReported = true;
                }
                expected = Math.max(expected, s.revision() + 1);
                Seen other = agreed.putIfAbsent(s.revision(), s);
                if (other == null) {
                    agreedBy.put(s.revision(), name);
                } else if (!other.equals(s) && !disagreementReported) {
                    anomalies.add(name + " saw " + s + " where " + agreedBy.get(s.revision()) + " saw " + other);
                    disagreementReported = true;
                }
            }
            if (expected <= to && !orderReported) {
                anomalies.add(name + ": revisions " + expected + ".." + to + " never arrived");
            }
        }
        Set<String> seenWrites = new HashSet<>();
        agreed.values().forEach(s -> seenWrites.add(s.key() + "=" + s.value()));
        Set<String> mayHaveWritten = new HashSet<>();
        for (RegisterOp op : history) {
            boolean writes = op.kind() == RegisterOp.Kind.WRITE
                    || op.kind() == RegisterOp.Kind.CAS && !"false".equals(op.result());
            if (!writes) {
                continue;
            }
            mayHaveWritten.add(op.key() + "=" + op.value());
            boolean acknowledged = op.outcome() == RegisterOp.Outcome.OK;
            if (acknowledged && !seenWrites.contains(op.key() + "=" + op.value())) {
                anomalies.add("acknowledged " + op + " is in no watcher's events");
            }
        }
        for (Seen s : agreed.values()) {
            if (s.value() != null && !mayHaveWritten.contains(s.key() + "=" + s.value())) {
                anomalies.add("revision " + s.revision() + " wrote " + s.key() + "=" + s.value() + ", which no client wrote");
            }
        }
        return anomalies;
    }
}
