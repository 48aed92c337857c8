package io.cairn.server.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each way a lock can fail, planted in an otherwise sound history, is caught. */
class LockFencingTest {
    private static final String PREFIX = "lock/l/";
    private static final String RESOURCE = "fenced";
    private final List<WatchCompleteness.Seen> events = new ArrayList<>();
    private final List<LockFencing.Write> writes = new ArrayList<>();

    private void put(long revision, String key, String value) {
        events.add(new WatchCompleteness.Seen(revision, key, value));
    }

    private void delete(long revision, String key) {
        events.add(new WatchCompleteness.Seen(revision, key, null));
    }

    /** A fenced write with {@code token} that the store applied at {@code revision}. */
    private void write(long revision, int process, long token, String value) {
        put(revision, RESOURCE, value);
        writes.add(new LockFencing.Write(process, token, value, LockFencing.Write.Outcome.OK));
    }

    /** p1 holds (token 10) while p2 waits (11); p1 writes twice, unlocks; p2 writes. */
    private void soundHistory() {
        put(10, PREFIX + "a", "");
        put(11, PREFIX + "b", "");
        write(12, 1, 10, "p1-1");
        write(13, 1, 10, "p1-2");
        delete(14, PREFIX + "a");
        write(15, 2, 11, "p2-1");
        writes.add(new LockFencing.Write(1, 10, "p1-late", LockFencing.Write.Outcome.REFUSED));
        writes.add(new LockFencing.Write(2, 11, "p2-maybe", LockFencing.Write.Outcome.UNKNOWN));
    }

    private List<String> check() {
        return LockFencing.check(events, PREFIX, RESOURCE, writes);
    }

    @Test
    void aSoundHistoryPasses() {
        soundHistory();
        assertThat(check()).isEmpty();
    }

    @Test
    void aWriteAfterTheLeaseEndedIsCaught() {
        soundHistory();
        // p1's lease ended (its key deleted at 14) and p2 holds: an unfenced write from p1 lands
        write(16, 1, 10, "p1-unfenced");
        assertThat(check()).containsExactly("revision 16: p1 wrote p1-unfenced with token 10 while token 11 held the lock",
                "revision 16: token 10 written after token 11");
    }

    @Test
    void aLockGrantedToTwoAtOnceIsCaught() {
        soundHistory();
        put(16, PREFIX + "c", "");
        // granted while p2's older key still lives
        write(17, 3, 16, "p3-1");
        assertThat(check()).anyMatch(a -> a.contains("token 16 while token 11 held the lock"));
    }

    @Test
    void aWriteWithNoHolderIsCaught() {
        soundHistory();
        delete(16, PREFIX + "b");
        write(17, 2, 11, "p2-after-unlock");
        assertThat(check()).singleElement().asString().contains("while nobody held the lock");
    }

    @Test
    void aLostAcknowledgedWriteAndAnAppliedRefusedOneAreCaught() {
        soundHistory();
        writes.add(new LockFencing.Write(2, 11, "p2-lost", LockFencing.Write.Outcome.OK));
        put(16, RESOURCE, "p1-late");
        assertThat(check()).anyMatch(a -> a.startsWith("acknowledged fenced write"))
                .anyMatch(a -> a.startsWith("refused fenced write"));
    }

    @Test
    void aValueNobodyWroteIsCaught() {
        soundHistory();
        put(16, RESOURCE, "forged");
        assertThat(check()).singleElement().asString().contains("which no lock holder wrote");
    }
}
