package io.cairn.server.robust;

import static io.cairn.server.robust.RegisterOp.cas;
import static io.cairn.server.robust.RegisterOp.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.robust.WatchCompleteness.Seen;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The watch checker, shown to catch each bug it is for by planting it. */
class WatchCompletenessTest {
    private static final List<RegisterOp> HISTORY = List.of(
            write(1, "a", "x", 0, 10),
            cas(2, "b", null, "y", true, 0, 10),
            write(1, "a", "z", 11, 20).unknown(),
            cas(2, "a", "q", "never", false, 12, 14));
    private static final List<Seen> ALL = List.of(new Seen(2, "a", "x"), new Seen(3, "b", "y"), new Seen(4, "a", "z"));

    @Test
    void watchersThatSawEveryRevisionOnceAndAlikePass() {
        assertThat(WatchCompleteness.check(Map.of("w1", ALL, "w2", ALL), 2, 4, HISTORY)).isEmpty();
    }

    @Test
    void aSkippedEventIsCaught() {
        List<Seen> skipped = List.of(ALL.get(0), ALL.get(2));
        assertThat(WatchCompleteness.check(Map.of("w1", ALL, "w2", skipped), 2, 4, HISTORY))
                .containsExactly("w2: revisions 3..3 skipped, then 4");
    }

    @Test
    void aRepeatedOrReorderedEventIsCaught() {
        List<Seen> repeated = new ArrayList<>(ALL);
        repeated.add(2, ALL.get(1));
        assertThat(WatchCompleteness.check(Map.of("w", repeated), 2, 4, HISTORY))
                .containsExactly("w: revision 3 again or out of order, after 3");
        List<Seen> reordered = List.of(ALL.get(0), ALL.get(2), ALL.get(1));
        assertThat(WatchCompleteness.check(Map.of("w", reordered), 2, 4, HISTORY))
                .contains("w: revisions 3..3 skipped, then 4");
    }

    @Test
    void aWatcherThatStopsShortIsCaught() {
        assertThat(WatchCompleteness.check(Map.of("w", ALL.subList(0, 2)), 2, 4, HISTORY))
                .containsExactly("w: revisions 4..4 never arrived");
    }

    @Test
    void watchersThatDisagreeOnARevisionAreCaught() {
        List<Seen> other = List.of(ALL.get(0), new Seen(3, "b", "x"), ALL.get(2));
        assertThat(WatchCompleteness.check(Map.of("w1", ALL, "w2", other), 2, 4, HISTORY))
                .anyMatch(a -> a.contains("saw [Seen[revision=3"));
    }

    @Test
    void aRevisionThatWroteSeveralKeysIsOneRunOfEventsAndAPartOfItIsCaught() {
        List<Seen> txn = List.of(ALL.get(0), new Seen(3, "b", "y"), new Seen(3, "list/1", "e"), ALL.get(2));
        assertThat(WatchCompleteness.check(Map.of("w1", txn, "w2", txn), 2, 4, HISTORY)).as("keys no register uses")
                .isEmpty();
        List<Seen> part = List.of(ALL.get(0), new Seen(3, "b", "y"), ALL.get(2));
        assertThat(WatchCompleteness.check(Map.of("w1", txn, "w2", part), 2, 4, HISTORY))
                .anyMatch(a -> a.contains("saw [Seen[revision=3"));
        List<Seen> splitUp = List.of(ALL.get(0), new Seen(3, "b", "y"), ALL.get(2), new Seen(3, "list/1", "e"));
        assertThat(WatchCompleteness.check(Map.of("w", splitUp), 2, 4, HISTORY))
                .contains("w: revision 3 again or out of order, after 4");
    }

    @Test
    void anAcknowledgedWriteNoWatcherSawAndAValueNobodyWroteAreCaught() {
        List<Seen> lost = List.of(new Seen(2, "a", "x"), new Seen(3, "b", "phantom"), new Seen(4, "a", "z"));
        assertThat(WatchCompleteness.check(Map.of("w", lost), 2, 4, HISTORY)).containsExactlyInAnyOrder(
                "acknowledged " + HISTORY.get(1) + " is in no watcher's events",
                "revision 3 wrote b=phantom, which no client wrote");
        // a failed swap's value may not appear at all; an unknown write's may
        List<Seen> swapped = List.of(ALL.get(0), ALL.get(1), new Seen(4, "a", "never"));
        assertThat(WatchCompleteness.check(Map.of("w", swapped), 2, 4, HISTORY))
                .contains("revision 4 wrote a=never, which no client wrote");
    }
}
