package io.cairn.server.robust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what watchers of one range saw against each other and against the clients' history:
 * each watcher must see every revision from its start to the end exactly once and in order (a
 * revision that wrote several keys, a txn, as one run of events with distinct keys), all
 * watchers must agree on what each revision wrote, every acknowledged register write must be
 * among the events, and no event on a register's key may carry a value nobody wrote.
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
     * @param history  the clients' register operations (other writes in the range are not theirs to check)
     */
    public static List<String> check(Map<String, List<Seen>> watchers, long from, long to, List<RegisterOp> history) {
        List<String> anomalies = new ArrayList<>();
        Map<Long, List<Seen>> agreed = new HashMap<>();
        Map<Long, String> agreedBy = new HashMap<>();
        for (Map.Entry<String, List<Seen>> w : watchers.entrySet()) {
            String name = w.getKey();
            List<Seen> events = w.getValue();
            long expected = from;
            boolean orderReported = false;
            boolean disagreementReported = false;
            for (int i = 0, next; i < events.size(); i = next) {
                long revision = events.get(i).revision();
                Set<String> keys = new HashSet<>();
                boolean keyTwice = false;
                for (next = i; next < events.size() && events.get(next).revision() == revision; next++) {
                    keyTwice |= !keys.add(events.get(next).key());
                }
                List<Seen> revisionEvents = events.subList(i, next);
                if ((revision != expected || keyTwice) && !orderReported) {
                    anomalies.add(name + ": " + (revision < expected || keyTwice
                            ? "revision " + revision + " again or out of order, after " + (keyTwice ? revision : expected - 1)
                            : "revisions " + expected + ".." + (revision - 1) + " skipped, then " + revision));
                    orderReported = true;
                }
                expected = Math.max(expected, revision + 1);
                List<Seen> other = agreed.putIfAbsent(revision, revisionEvents);
                if (other == null) {
                    agreedBy.put(revision, name);
                } else if (!other.equals(revisionEvents) && !disagreementReported) {
                    anomalies.add(name + " saw " + revisionEvents + " where " + agreedBy.get(revision) + " saw " + other);
                    disagreementReported = true;
                }
            }
            if (expected <= to && !orderReported) {
                anomalies.add(name + ": revisions " + expected + ".." + to + " never arrived");
            }
        }
        Set<String> seenWrites = new HashSet<>();
        agreed.values().forEach(events -> events.forEach(s -> seenWrites.add(s.key() + "=" + s.value())));
        Set<String> registers = new HashSet<>();
        Set<String> mayHaveWritten = new HashSet<>();
        for (RegisterOp op : history) {
            registers.add(op.key());
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
        for (List<Seen> events : agreed.values()) {
            for (Seen s : events) {
                if (s.value() != null && registers.contains(s.key()) && !mayHaveWritten.contains(s.key() + "=" + s.value())) {
                    anomalies.add("revision " + s.revision() + " wrote " + s.key() + "=" + s.value() + ", which no client wrote");
                }
            }
        }
        return anomalies;
    }
}
