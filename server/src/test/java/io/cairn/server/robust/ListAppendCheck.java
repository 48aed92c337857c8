package io.cairn.server.robust;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Checks a list-append history, the shape Elle checks: per key, every list read must be a
 * prefix of one order of appends; nothing is duplicated, and nothing is seen that was never
 * appended or whose append was refused; an acknowledged append is in every read that began after
 * it was acknowledged, and after every append acknowledged before it began; a read never returns
 * less than one that ended before it began; an append to several keys is never seen in part by a
 * read of those keys; and appends to several keys are in the same order in each.
 */
public final class ListAppendCheck {
    private ListAppendCheck() {
    }

    /** The anomalies found, one line each, at most one per key and kind; empty when none. */
    public static List<String> check(List<ListOp> history) {
        Anomalies anomalies = new Anomalies();
        Map<String, ListOp> appendOf = new HashMap<>();
        Map<String, List<ListOp>> readsOf = new TreeMap<>();
        Map<String, List<ListOp>> appendsTo = new TreeMap<>();
        for (ListOp op : history) {
            if (op.kind() == ListOp.Kind.APPEND) {
                appendOf.put(op.element(), op);
                op.keys().forEach(k -> appendsTo.computeIfAbsent(k, x -> new ArrayList<>()).add(op));
            } else {
                op.keys().forEach(k -> readsOf.computeIfAbsent(k, x -> new ArrayList<>()).add(op));
            }
        }
        Map<String, List<String>> orderOf = new HashMap<>();
        for (Map.Entry<String, List<ListOp>> e : readsOf.entrySet()) {
            String key = e.getKey();
            List<ListOp> reads = e.getValue();
            List<String> longest = reads.stream().map(r -> r.read().get(key)).max(Comparator.comparingInt(List::size))
                    .orElseThrow();
            orderOf.put(key, longest);
            Map<String, Integer> position = positions(longest);
            for (ListOp r : reads) {
                List<String> list = r.read().get(key);
                if (!longest.subList(0, list.size()).equals(list)) {
                    anomalies.add(key, "order", key + ": incompatible orders: " + r + " is not a prefix of " + longest);
                }
                if (new HashSet<>(list).size() != list.size()) {
                    anomalies.add(key, "twice", key + ": an element appears twice in " + r);
                }
                for (String element : list) {
                    ListOp append = appendOf.get(element);
                    if (append == null || !append.keys().contains(key)) {
                        anomalies.add(key, "phantom", key + ": " + element + " was never appended to it, yet " + r);
                    } else if (append.outcome() == ListOp.Outcome.FAILED) {
                        anomalies.add(key, "refused", key + ": refused " + append + " was seen by " + r);
                    }
                }
            }
            List<ListOp> acknowledged = appendsTo.getOrDefault(key, List.of()).stream()
                    .filter(a -> a.outcome() == ListOp.Outcome.OK).toList();
            for (ListOp a : acknowledged) {
                if (!position.containsKey(a.element())) {
                    anomalies.add(key, "lost", key + ": acknowledged " + a + " is in no read, not even the last");
                }
            }
            // a lost append is reported once, above, not again for every read after it
            MaxBefore acknowledgedAt = new MaxBefore(acknowledged.stream()
                    .filter(a -> position.containsKey(a.element())).toList(), a -> position.get(a.element()));
            MaxBefore readUpTo = new MaxBefore(reads, x -> x.read().get(key).size() - 1);
            // a read must hold every append acknowledged before it began...
            for (ListOp r : reads) {
                int needed = acknowledgedAt.at(r.invoked());
                if (needed >= r.read().get(key).size()) {
                    anomalies.add(key, "stale", key + ": " + r + " misses an append acknowledged before it began");
                }
            }
            // ...and more than any read that ended before it began
            for (ListOp r : reads) {
                int before = readUpTo.at(r.invoked());
                if (before >= r.read().get(key).size()) {
                    anomalies.add(key, "back", key + ": " + r + " went back: a read that ended before it began saw "
                            + (before + 1) + " elements");
                }
            }
            // an append comes after every append acknowledged before it began
            for (ListOp a : appendsTo.getOrDefault(key, List.of())) {
                Integer at = position.get(a.element());
                if (at != null && acknowledgedAt.at(a.invoked()) > at) {
                    anomalies.add(key, "realtime", key + ": " + a + " is ordered before an append acknowledged before it began");
                }
            }
        }
        fracturedReads(history, appendOf, anomalies);
        crossKeyOrders(orderOf, anomalies);
        return anomalies.list();
    }

    /** The first anomaly of each kind on each key (or pair of keys), in the order found. */
    private static final class Anomalies {
        private final Map<String, String> first = new LinkedHashMap<>();

        void add(String where, String kind, String anomaly) {
            first.putIfAbsent(where + " " + kind, anomaly);
        }

        List<String> list() {
            return List.copyOf(first.values());
        }
    }

    /** Answers "the largest value among operations completed before a time" in log time. */
    private static final class MaxBefore {
        private final long[] completed;
        private final int[] runningMax;

        MaxBefore(List<ListOp> ops, ToIntFunction<ListOp> value) {
            List<ListOp> sorted = ops.stream().sorted(Comparator.comparingLong(ListOp::completed)).toList();
            completed = new long[sorted.size()];
            runningMax = new int[sorted.size()];
            int max = -1;
            for (int i = 0; i < sorted.size(); i++) {
                completed[i] = sorted.get(i).completed();
                max = Math.max(max, value.applyAsInt(sorted.get(i)));
                runningMax[i] = max;
            }
        }

        /** -1 when no operation completed before {@code time}. */
        int at(long time) {
            int i = Arrays.binarySearch(completed, time);
            int before = i >= 0 ? firstOf(i, time) - 1 : -i - 2; // strictly before
            return before < 0 ? -1 : runningMax[before];
        }

        private int firstOf(int i, long time) {
            while (i > 0 && completed[i - 1] == time) {
                i--;
            }
            return i;
        }
    }

    /** A read of several keys sees an append to several of them in all or in none. */
    private static void fracturedReads(List<ListOp> history, Map<String, ListOp> appendOf, Anomalies anomalies) {
        for (ListOp r : history) {
            if (r.kind() != ListOp.Kind.READ || r.keys().size() < 2) {
                continue;
            }
            for (String key : r.keys()) {
                for (String element : r.read().get(key)) {
                    ListOp append = appendOf.get(element);
                    if (append == null) {
                        continue; // reported above
                    }
                    for (String other : append.keys()) {
                        if (r.read().containsKey(other) && !r.read().get(other).contains(element)) {
                            anomalies.add(other, "fractured", other + ": " + r + " saw " + element + " in " + key + " but not in " + other
                                    + " (" + append + ")");
                        }
                    }
                }
            }
        }
    }

    /** Two elements appended to the same two keys are in the same order in both. */
    private static void crossKeyOrders(Map<String, List<String>> orderOf, Anomalies anomalies) {
        List<String> keys = new ArrayList<>(orderOf.keySet());
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                String a = keys.get(i);
                String b = keys.get(j);
                Set<String> inB = new HashSet<>(orderOf.get(b));
                Set<String> inA = new HashSet<>(orderOf.get(a));
                List<String> aOrder = orderOf.get(a).stream().filter(inB::contains).toList();
                List<String> bOrder = orderOf.get(b).stream().filter(inA::contains).toList();
                if (!aOrder.equals(bOrder)) {
                    anomalies.add(a + ", " + b, "cross", a + ", " + b + ": appends to both are ordered " + aOrder + " in " + a + " but "
                            + bOrder + " in " + b);
                }
            }
        }
    }

    private static Map<String, Integer> positions(List<String> order) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.putIfAbsent(order.get(i), i);
        }
        return position;
    }
}
