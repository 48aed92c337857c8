package io.cairn.client.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who a rollout waits for: clients on a gray candidate are told no new version until the release ends. */
class RolloutTest {
    private static final ConfigKey KEY = ConfigKey.of("orders.yaml");

    private static Receipt receipt(String id, long version, boolean gray, boolean applied) {
        return new Receipt(id, Map.of(), "", "127.0.0.1", version, "md5", gray, applied, applied ? "" : "boom", Instant.EPOCH);
    }

    private static Rollout rollout(boolean grayUnderWay, Receipt... receipts) {
        Optional<GrayRelease> gray = grayUnderWay ? Optional.of(new GrayRelease(KEY, "", Format.YAML, "md5",
                GrayRules.percent(10), 2, "alice", Instant.EPOCH, "", 7)) : Optional.empty();
        return new Rollout(KEY, 3, gray, List.of(receipts), List.of());
    }

    @Test
    void aClientOnTheCandidateOfAGrayReleaseUnderWayIsNotWaitedFor() {
        Rollout r = rollout(true, receipt("a", 3, false, true), receipt("canary", 2, true, false), receipt("c", 2, false, true));
        assertThat(r.notApplied(3)).extracting(Receipt::clientId).containsExactly("c");
        assertThat(r.failed(3)).as("a canary that failed the candidate did not fail version 3").isEmpty();
        assertThat(r.onGrayCandidate()).extracting(Receipt::clientId).containsExactly("canary");
    }

    @Test
    void onceTheReleaseEndedEveryClientIsWaitedFor() {
        Rollout r = rollout(false, receipt("a", 3, false, true), receipt("stale", 2, true, true), receipt("c", 3, false, false));
        assertThat(r.notApplied(3)).extracting(Receipt::clientId).containsExactly("stale", "c");
        assertThat(r.failed(3)).extracting(Receipt::clientId).containsExactly("c");
    }
}
