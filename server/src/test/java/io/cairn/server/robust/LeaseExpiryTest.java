package io.cairn.server.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A key that goes early, one that outlives its lease, and the cases that excuse lateness. */
class LeaseExpiryTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long ELECTION = S;
    private static final long SLACK = S / 2;
    /** Renewed (sent at 10 s, answered at 10.1 s) with TTL 2 s: due by 10.1 + 2 + 1 + 0.5 s. */
    private static final LeaseExpiry.Lease RENEWED = new LeaseExpiry.Lease(1, "k", 2, 10 * S, 10 * S + S / 10, true);

    private final Map<String, Long> deleted = new HashMap<>();

    private List<String> check(LeaseExpiry.Lease lease, List<LeaseExpiry.Span> faults) {
        return LeaseExpiry.check(List.of(lease), deleted, faults, ELECTION, SLACK, 100 * S);
    }

    @Test
    void aKeyGoneBetweenItsTtlAndItsDueTimePasses() {
        deleted.put("k", 12 * S + S / 2);
        assertThat(check(RENEWED, List.of())).isEmpty();
    }

    @Test
    void aKeyGoneBeforeItsRenewalRanOutIsCaught() {
        // a renewal the leader honoured on its clock but a lease revoked as if it had not been
        deleted.put("k", 11 * S);
        assertThat(check(RENEWED, List.of())).singleElement().asString().contains("1000 ms before its lease could end");
    }

    @Test
    void aKeyThatOutlivesItsLeaseIsCaught() {
        deleted.put("k", 14 * S);
        assertThat(check(RENEWED, List.of())).singleElement().asString().contains("deleted 400 ms past its TTL");
        deleted.clear();
        assertThat(check(RENEWED, List.of())).singleElement().asString().contains("still there");
    }

    @Test
    void lateIsExcusedByAFaultAnUnsettledLeaseOrTheEndOfTheRun() {
        deleted.put("k", 20 * S);
        assertThat(check(RENEWED, List.of(new LeaseExpiry.Span(11 * S, 12 * S)))).isEmpty();
        assertThat(check(new LeaseExpiry.Lease(1, "k", 2, 10 * S, 10 * S + S / 10, false), List.of())).isEmpty();
        assertThat(LeaseExpiry.check(List.of(RENEWED), Map.of(), List.of(), ELECTION, SLACK, 13 * S)).isEmpty();
    }

    @Test
    void earlyIsNeverExcused() {
        deleted.put("k", 11 * S);
        assertThat(check(new LeaseExpiry.Lease(1, "k", 2, 10 * S, 10 * S + S / 10, false),
                List.of(new LeaseExpiry.Span(9 * S, 12 * S)))).hasSize(1);
    }
}
