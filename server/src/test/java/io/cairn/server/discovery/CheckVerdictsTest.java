package io.cairn.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.discovery.FlapDamping;
import io.cairn.api.discovery.HealthCheck;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.Status;
import io.cairn.api.discovery.TcpCheck;
import org.junit.jupiter.api.Test;

/** How check results become an instance's status, with and without flap damping. */
class CheckVerdictsTest {
    private static final FlapDamping TWO_IN_10S_HOLD_5S =
            FlapDamping.newBuilder().setChanges(2).setWindowMs(10_000).setHoldMs(5_000).build();

    private final CheckVerdicts verdicts = new CheckVerdicts();
    /** The instance as the registry has it: each verdict is written, as the health checker does. */
    private Instance current;

    private static Instance checked(int failureThreshold, int successThreshold) {
        return Instance.newBuilder().setId("a").setStatus(Status.UP).setCheck(HealthCheck.newBuilder()
                .setTcp(TcpCheck.getDefaultInstance()).setFailureThreshold(failureThreshold)
                .setSuccessThreshold(successThreshold)).build();
    }

    /** The status after a check at {@code atMs}, "DOWN*" when held for flapping; null when nothing is written. */
    private String check(boolean passed, FlapDamping damping, long atMs) {
        CheckVerdicts.Verdict v = verdicts.judge(current, passed, damping, atMs);
        if (v == null) {
            return null;
        }
        current = current.toBuilder().setStatus(v.status()).setFlapping(v.flapping()).build();
        return v.status() + (v.flapping() ? "*" : "");
    }

    @Test
    void withoutDampingOnlyTheThresholdsDecide() {
        current = checked(2, 2);
        assertThat(check(false, null, 0)).isNull();
        assertThat(check(false, null, 1)).isEqualTo("DOWN");
        assertThat(check(false, null, 2)).as("already DOWN: nothing to write").isNull();
        assertThat(check(true, null, 3)).isNull();
        assertThat(check(false, null, 4)).as("one failure resets the passes").isNull();
        assertThat(check(true, null, 5)).isNull();
        assertThat(check(true, null, 6)).isEqualTo("UP");
        for (int i = 0; i < 20; i++) {
            assertThat(check(i % 4 < 2, null, 7 + i)).as("flapping, undamped, goes through").isIn(null, "UP", "DOWN");
        }
    }

    @Test
    void moreChangesThanAllowedInTheWindowHoldItDownUntilStableForTheHold() {
        current = checked(1, 1);
        assertThat(check(false, TWO_IN_10S_HOLD_5S, 0)).isEqualTo("DOWN");
        assertThat(check(true, TWO_IN_10S_HOLD_5S, 1_000)).isEqualTo("UP");
        assertThat(check(false, TWO_IN_10S_HOLD_5S, 2_000)).as("the third change in 10 s").isEqualTo("DOWN*");
        assertThat(check(true, TWO_IN_10S_HOLD_5S, 3_000)).as("a change while held starts the hold again").isNull();
        for (long t = 4_000; t < 8_000; t += 1_000) {
            assertThat(check(true, TWO_IN_10S_HOLD_5S, t)).as("stable, but not for 5 s yet, at " + t).isNull();
        }
        assertThat(check(true, TWO_IN_10S_HOLD_5S, 8_000)).as("stable for 5 s since 3 s").isEqualTo("UP");
        assertThat(current.getFlapping()).isFalse();
    }

    @Test
    void aHeldInstanceStillFailingIsReleasedDownAndChangesFarApartNeverHold() {
        current = checked(1, 1);
        check(false, TWO_IN_10S_HOLD_5S, 0);
        check(true, TWO_IN_10S_HOLD_5S, 1_000);
        assertThat(check(false, TWO_IN_10S_HOLD_5S, 2_000)).isEqualTo("DOWN*");
        assertThat(check(false, TWO_IN_10S_HOLD_5S, 7_000)).as("released, but DOWN as its check says").isEqualTo("DOWN");
        // from here on, one change every 6 s: never more than two within 10 s
        assertThat(check(true, TWO_IN_10S_HOLD_5S, 13_000)).isEqualTo("UP");
        assertThat(check(false, TWO_IN_10S_HOLD_5S, 19_000)).isEqualTo("DOWN");
        assertThat(check(true, TWO_IN_10S_HOLD_5S, 25_000)).isEqualTo("UP");
        assertThat(check(false, TWO_IN_10S_HOLD_5S, 31_000)).isEqualTo("DOWN");
    }

    @Test
    void aNewLeaderHoldsAFlappingInstanceForAWholeHoldAndDampingTurnedOffReleasesIt() {
        current = checked(1, 1).toBuilder().setStatus(Status.DOWN).setFlapping(true).build();
        assertThat(check(true, TWO_IN_10S_HOLD_5S, 100_000)).as("held from when this leader first checked").isNull();
        assertThat(check(true, TWO_IN_10S_HOLD_5S, 104_999)).isNull();
        assertThat(check(true, TWO_IN_10S_HOLD_5S, 105_000)).isEqualTo("UP");

        CheckVerdicts another = new CheckVerdicts();
        Instance flapping = checked(1, 1).toBuilder().setStatus(Status.DOWN).setFlapping(true).build();
        CheckVerdicts.Verdict v = another.judge(flapping, true, null, 0);
        assertThat(v).as("damping turned off releases at once").isEqualTo(new CheckVerdicts.Verdict(Status.UP, false));
    }
}
