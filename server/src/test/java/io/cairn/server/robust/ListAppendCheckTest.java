package io.cairn.server.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each anomaly the list-append checker knows, planted in an otherwise sound history, is caught. */
class ListAppendCheckTest {
    private final List<ListOp> history = new ArrayList<>();

    /** An append to {@code keys} over [at, at + 1]. */
    private void append(long at, String element, ListOp.Outcome outcome, String... keys) {
        history.add(ListOp.append(0, List.of(keys), element, outcome, at, at + 1));
    }

    private void append(long at, String element, String... keys) {
        append(at, element, ListOp.Outcome.OK, keys);
    }

    /** A read over [at, at + 1] of each key's list, given as "key=a,b,c" ("key=" for empty). */
    private void read(long at, String... lists) {
        Map<String, List<String>> read = new LinkedHashMap<>();
        for (String l : lists) {
            String[] kv = l.split("=", -1);
            read.put(kv[0], kv[1].isEmpty() ? List.of() : Arrays.asList(kv[1].split(",")));
        }
        history.add(ListOp.read(1, read, at, at + 1));
    }

    /** A sound history: appends to one and to two keys, reads of one and of two keys. */
    private void soundHistory() {
        read(0, "x=", "y=");
        append(10, "a", "x");
        append(20, "b", "x", "y");
        read(30, "x=a,b", "y=b");
        append(40, "c", ListOp.Outcome.UNKNOWN, "y");
        append(50, "d", ListOp.Outcome.FAILED, "x");
        append(60, "e", "x", "y");
        read(70, "x=a,b,e", "y=b,c,e");
    }

    @Test
    void aSoundHistoryHasNoAnomaly() {
        soundHistory();
        assertThat(ListAppendCheck.check(history)).isEmpty();
    }

    @Test
    void eachPlantedAnomalyIsCaught() {
        assertCaught(() -> read(80, "x=b,a,e"), "incompatible orders");
        assertCaught(() -> read(80, "x=a,b,e,e"), "appears twice");
        assertCaught(() -> read(80, "x=a,b,e,zz"), "was never appended to it");
        assertCaught(() -> read(80, "y=b,c,e,a"), "was never appended to it"); // a went to x only
        assertCaught(() -> read(80, "x=a,b,e,d"), "refused");
        assertCaught(() -> append(80, "f", "x"), "is in no read, not even the last");
        assertCaught(() -> read(35, "x=a"), "misses an append acknowledged before it began");
        assertCaught(() -> {
            read(80, "x=a,b,e");
            read(90, "x=a,b");
        }, "went back");
        assertCaught(() -> {
            append(80, "f", "x");
            append(90, "g", "x");
            read(100, "x=a,b,e,g,f");
        }, "is ordered before an append acknowledged before it began");
        assertCaught(() -> read(80, "x=a,b,e", "y=b,c"), "saw e in x but not in y");
        assertCaught(() -> {
            append(80, "f", ListOp.Outcome.UNKNOWN, "x", "y");
            append(80, "g", ListOp.Outcome.UNKNOWN, "x", "y");
            read(100, "x=a,b,e,f,g");
            read(100, "y=b,c,e,g,f");
        }, "ordered [b, e, f, g] in x but [b, e, g, f] in y");
    }

    @Test
    void anAnomalyIsReportedOncePerKeyAndKind() {
        soundHistory();
        append(80, "f", "x");
        for (int i = 0; i < 10; i++) {
            read(100 + 10 * i, "x=a,b,e");
        }
        assertThat(ListAppendCheck.check(history)).hasSize(1).first().asString().contains("acknowledged");
    }

    private void assertCaught(Runnable plant, String expected) {
        history.clear();
        soundHistory();
        plant.run();
        assertThat(ListAppendCheck.check(history)).as("planted: %s", expected)
                .anySatisfy(a -> assertThat(a).contains(expected));
    }
}
