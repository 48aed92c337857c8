package io.cairn.server.robust;

import static io.cairn.server.robust.RegisterOp.cas;
import static io.cairn.server.robust.RegisterOp.read;
import static io.cairn.server.robust.RegisterOp.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearizabilityTest {
    @Test
    void concurrentOperationsMayTakeEffectInEitherOrder() {
        List<RegisterOp> h = List.of(
                write(1, "k", "a", 0, 10),
                write(2, "k", "b", 1, 11),
                read(3, "k", "a", 12, 13),
                read(4, "k", "a", 14, 15));
        assertThat(Linearizability.check(h).linearizable()).isTrue();
    }

    /** The planted bug a stale member would show: a read after a write completed sees the old value. */
    @Test
    void aStaleReadIsCaught() {
        List<RegisterOp> h = List.of(
                write(1, "k", "a", 0, 10),
                write(1, "k", "b", 20, 30),
                read(2, "k", "a", 31, 40),
                write(1, "other", "x", 0, 5));
        Linearizability.Verdict verdict = Linearizability.check(h);
        assertThat(verdict.linearizable()).isFalse();
        assertThat(verdict.key()).isEqualTo("k");
        assertThat(verdict.evidence()).contains(h.get(1), h.get(2));
    }

    @Test
    void readsMustNotGoBackOnceANewerValueWasSeen() {
        List<RegisterOp> h = List.of(
                write(1, "k", "a", 0, 10),
                write(2, "k", "b", 5, 50),
                read(3, "k", "b", 12, 14),
                read(4, "k", "a", 16, 18)); // b was already visible: a is gone for good
        assertThat(Linearizability.check(h).linearizable()).isFalse();
    }

    @Test
    void anUnknownWriteMayHaveHappenedOrNot() {
        RegisterOp lost = write(1, "k", "b", 5, 6).unknown();
        assertThat(Linearizability.check(List.of(write(2, "k", "a", 0, 1), lost, read(3, "k", "b", 100, 101)))
                .linearizable()).isTrue();
        assertThat(Linearizability.check(List.of(write(2, "k", "a", 0, 1), lost, read(3, "k", "a", 100, 101)))
                .linearizable()).isTrue();
        // but not before it was invoked
        assertThat(Linearizability.check(List.of(write(2, "k", "a", 0, 1), read(3, "k", "b", 2, 3), lost))
                .linearizable()).isFalse();
    }

    @Test
    void compareAndSetSucceedsExactlyWhenTheValueWasTheExpectedOne() {
        assertThat(Linearizability.check(List.of(
                write(1, "k", "a", 0, 1),
                cas(2, "k", "a", "b", true, 2, 3),
                cas(3, "k", "a", "c", false, 4, 5),
                read(4, "k", "b", 6, 7))).linearizable()).isTrue();
        // two successful swaps from the same value cannot both have happened
        assertThat(Linearizability.check(List.of(
                write(1, "k", "a", 0, 1),
                cas(2, "k", "a", "b", true, 2, 10),
                cas(3, "k", "a", "c", true, 2, 10))).linearizable()).isFalse();
        // a lost swap may explain a value nobody else wrote
        assertThat(Linearizability.check(List.of(
                write(1, "k", "a", 0, 1),
                cas(2, "k", "a", "z", true, 2, 3).unknown(),
                read(3, "k", "z", 50, 51))).linearizable()).isTrue();
    }

    /**
     * Histories made by a register that is linearizable by construction (each operation takes
     * effect at a random point inside its interval) pass; changing one read's answer to a value
     * never written makes each of them fail.
     */
    @Test
    void randomLinearizableHistoriesPassAndAForgedReadFails() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<RegisterOp> history = linearizableHistory(random, 5, 40);
            assertThat(Linearizability.check(history).linearizable()).as("round %d: %s", round, history).isTrue();
            List<Integer> reads = new ArrayList<>();
            for (int i = 0; i < history.size(); i++) {
                if (history.get(i).kind() == RegisterOp.Kind.READ) {
                    reads.add(i);
                }
            }
            if (!reads.isEmpty()) {
                int i = reads.get(random.nextInt(reads.size()));
                RegisterOp r = history.get(i);
                history.set(i, read(r.process(), r.key(), "never-written", r.invoked(), r.completed()));
                assertThat(Linearizability.check(history).linearizable()).as("round %d forged", round).isFalse();
            }
        }
    }

    /** Operations of {@code processes} clients, one at a time each, on one key; each takes effect at a point inside it. */
    private static List<RegisterOp> linearizableHistory(Random random, int processes, int count) {
        long[] free = new long[processes];
        record Planned(int process, long invoked, long point, long completed) {
        }
        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = random.nextInt(processes);
            long invoked = free[p] + random.nextInt(5);
            long point = invoked + 1 + random.nextInt(10);
            long completed = point + 1 + random.nextInt(10);
            free[p] = completed + 1;
            planned.add(new Planned(p, invoked, point * 1000 + i, completed)); // distinct points
        }
        planned.sort(java.util.Comparator.comparingLong(Planned::point));
        String value = null;
        List<RegisterOp> out = new ArrayList<>();
        int written = 0;
        for (Planned op : planned) {
            long invoked = op.invoked() * 1000;
            long completed = op.completed() * 1000 + 999;
            switch (random.nextInt(3)) {
                case 0 -> out.add(read(op.process(), "k", value, invoked, completed));
                case 1 -> {
                    value = "v" + written++;
                    RegisterOp w = write(op.process(), "k", value, invoked, completed);
                    out.add(random.nextInt(8) == 0 ? w.unknown() : w);
                }
                default -> {
                    String expected = random.nextBoolean() ? value : "v" + random.nextInt(written + 1);
                    boolean swapped = java.util.Objects.equals(expected, value);
                    String next = "v" + written++;
                    if (swapped) {
                        value = next;
                    }
                    out.add(cas(op.process(), "k", expected, next, swapped, invoked, completed));
                }
            }
        }
        return out;
    }
}
