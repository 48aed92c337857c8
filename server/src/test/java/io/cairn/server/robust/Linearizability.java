package io.cairn.server.robust;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a history of register operations is linearizable: whether there is one order of them,
 * each placed between its invocation and its answer, in which every read returns the value last
 * written and every compare-and-set succeeds exactly when the value was the one it expected.
 * Keys are independent registers, so each is checked alone. The search is Wing and Gong's, with
 * Lowe's memo of (operations placed, register value) as Knossos and Porcupine do it: operations
 * are placed in the order of their invocations, a placement that leads nowhere is undone, and a
 * state already seen is not searched twice. An operation with an unknown outcome may be placed
 * anywhere after its invocation, or nowhere.
 */
public final class Linearizability {
    /** What a check found. */
    public enum Finding { LINEARIZABLE, NOT_LINEARIZABLE, INCONCLUSIVE }

    /**
     * @param finding  linearizable, not, or inconclusive (the search passed its budget)
     * @param key      the first key that is not linearizable (or could not be decided), or null
     * @param evidence that key's operations around the first one no order could place
     */
    public record Verdict(Finding finding, String key, List<RegisterOp> evidence) {
        public boolean linearizable() {
            return finding == Finding.LINEARIZABLE;
        }

        @Override
        public String toString() {
            if (finding == Finding.LINEARIZABLE) {
                return "linearizable";
            }
            StringBuilder out = new StringBuilder(finding == Finding.INCONCLUSIVE
                    ? "inconclusive: the search for key " + key + " passed " + STEPS + " steps; deepest stop around:"
                    : "not linearizable: key " + key + ", around:");
            evidence.forEach(op -> out.append("\n  ").append(op));
            return out.toString();
        }
    }

    /**
     * Steps one key's search may take. A history that is not linearizable can make the search try
     * every subset of the unknown operations before the point it cannot pass; a bound keeps a
     * long run's report from waiting on it.
     */
    static final long STEPS = 20_000_000;

    private Linearizability() {
    }

    /** Checks every key of {@code history}; each register starts absent. */
    public static Verdict check(List<RegisterOp> history) {
        Map<String, List<RegisterOp>> byKey = new LinkedHashMap<>();
        for (RegisterOp op : history) {
            if (op.kind() == RegisterOp.Kind.READ && op.outcome() == RegisterOp.Outcome.UNKNOWN) {
                continue; // a read whose answer never came changed nothing and showed nothing
            }
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<String, List<RegisterOp>> e : byKey.entrySet()) {
            Verdict verdict = new Search(e.getValue()).run(e.getKey());
            if (!verdict.linearizable()) {
                return verdict;
            }
        }
        return new Verdict(Finding.LINEARIZABLE, null, List.of());
    }

    /** The register's next value if {@code op} can take effect on {@code value} now, else {@link #REFUSED}. */
    private static Object step(String value, RegisterOp op) {
        return switch (op.kind()) {
            case READ -> Objects.equals(value, op.result()) ? value : REFUSED;
            case WRITE -> op.value();
            // an unknown compare-and-set that failed changed nothing: the same as never placing it
            case CAS -> op.outcome() == RegisterOp.Outcome.UNKNOWN || op.result().equals("true")
                    ? (Objects.equals(value, op.expected()) ? op.value() : REFUSED)
                    : (Objects.equals(value, op.expected()) ? REFUSED : value);
        };
    }

    private static final Object REFUSED = new Object();

    /** One invocation or answer in the history's time order; calls and answers form a list that placements unlink. */
    private static final class Entry {
        final int op;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }
    }

    private record Seen(BitSet placed, String value) {
    }

    private record Placement(Entry call, String before) {
    }

    private static final class Search {
        private final List<RegisterOp> ops;
        private final Entry head = new Entry(-1, false, Long.MIN_VALUE);
        private BitSet deepest = new BitSet();

        Search(List<RegisterOp> ops) {
            this.ops = ops;
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Entry call = new Entry(i, true, ops.get(i).invoked());
                Entry answer = new Entry(i, false, ops.get(i).deadline());
                call.match = answer;
                entries.add(call);
                entries.add(answer);
            }
            // at equal times calls come first: operations that touch are taken as concurrent
            entries.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
            Entry last = head;
            for (Entry e : entries) {
                last.next = e;
                e.prev = last;
                last = e;
            }
        }

        Verdict run(String key) {
            int definiteLeft = (int) ops.stream().filter(op -> op.outcome() == RegisterOp.Outcome.OK).count();
            Set<Seen> seen = new HashSet<>();
            Deque<Placement> placed = new ArrayDeque<>();
            BitSet done = new BitSet();
            String value = null;
            Entry entry = head.next;
            long steps = 0;
            while (definiteLeft > 0) {
                if (++steps > STEPS) {
                    return new Verdict(Finding.INCONCLUSIVE, key, evidence());
                }
                if (entry.call) {
                    Object next = step(value, ops.get(entry.op));
                    if (next != REFUSED) {
                        BitSet after = (BitSet) done.clone();
                        after.set(entry.op);
                        if (seen.add(new Seen(after, (String) next))) {
                            placed.push(new Placement(entry, value));
                            value = (String) next;
                            done = (BitSet) after.clone(); // the memo keeps its own, unchanged

                            if (done.cardinality() > deepest.cardinality()) {
                                deepest = (BitSet) done.clone();
                            }
                            definiteLeft -= definite(entry) ? 1 : 0;
                            unlink(entry);
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    // an answer came before any order could place its operation: undo the last placement
                    if (placed.isEmpty()) {
                        return new Verdict(Finding.NOT_LINEARIZABLE, key, evidence());
                    }
                    Placement undone = placed.pop();
                    relink(undone.call());
                    done.clear(undone.call().op);
                    value = undone.before();
                    definiteLeft += definite(undone.call()) ? 1 : 0;
                    entry = undone.call().next;
                }
            }
            return new Verdict(Finding.LINEARIZABLE, null, List.of());
        }

        private boolean definite(Entry call) {
            return ops.get(call.op).outcome() == RegisterOp.Outcome.OK;
        }

        private static void unlink(Entry call) {
            for (Entry e : new Entry[] {call.match, call}) {
                e.prev.next = e.next;
                if (e.next != null) {
                    e.next.prev = e.prev;
                }
            }
        }

        private static void relink(Entry call) {
            for (Entry e : new Entry[] {call, call.match}) {
                e.prev.next = e;
                if (e.next != null) {
                    e.next.prev = e;
                }
            }
        }

        /** The first definite operation the deepest search could not place, with those overlapping it. */
        private List<RegisterOp> evidence() {
            RegisterOp stuck = null;
            for (int i = 0; i < ops.size(); i++) {
                RegisterOp op = ops.get(i);
                if (!deepest.get(i) && op.outcome() == RegisterOp.Outcome.OK
                        && (stuck == null || op.completed() < stuck.completed())) {
                    stuck = op;
                }
            }
            RegisterOp culprit = stuck;
            List<RegisterOp> around = new ArrayList<>(ops.stream()
                    .filter(op -> op.invoked() <= culprit.completed() && op.deadline() >= culprit.invoked())
                    .toList());
            // and the last write placed before it, which says what it should have seen
            ops.stream().filter(op -> op.kind() != RegisterOp.Kind.READ && op.deadline() < culprit.invoked())
                    .max(Comparator.comparingLong(RegisterOp::completed))
                    .filter(op -> !around.contains(op)).ifPresent(around::add);
            around.sort(Comparator.comparingLong(RegisterOp::invoked));
            return around;
        }
    }
}
