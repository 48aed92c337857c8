package io.cairn.console.views.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Receipt;
import io.cairn.client.config.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutSummaryTest {
    @Test
    void countsWhoAppliedTheCurrentVersionWhoFailedAndWhoRunsTheCandidate() {
        Rollout r = new Rollout(ConfigKey.of("a"), 7, Optional.empty(), List.of(receipt("a", 7, false, true),
                receipt("b", 7, false, false), receipt("c", 6, false, true), receipt("d", 7, true, true), receipt("e", 8, false, true)),
                List.of());
        assertThat(RolloutTab.describe(r)).isEqualTo("2 of 5 instances applied version 7; 1 failed to apply it; 1 runs the gray candidate.");
    }

    @Test
    void saysWhenNoInstanceReports() {
        assertThat(RolloutTab.describe(new Rollout(ConfigKey.of("a"), 1, Optional.empty(), List.of(), List.of())))
                .startsWith("No running instance reports this config");
    }

    private static Receipt receipt(String id, long version, boolean gray, boolean applied) {
        return new Receipt(id, Map.of(), "", "127.0.0.1", version, "", gray, applied, applied ? "" : "boom", Instant.EPOCH);
    }
}
