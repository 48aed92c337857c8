package io.cairn.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The auto-compaction flags, read as etcd reads them. */
class AutoCompactionTest {
    private static final long INTERVAL = AutoCompaction.DEFAULT_REVISION_INTERVAL_MS;

    private static long periodic(String retention) {
        AutoCompaction a = AutoCompaction.parse("periodic", retention, INTERVAL);
        assertThat(a.mode()).isEqualTo(AutoCompaction.Mode.PERIODIC);
        return a.retention();
    }

    @Test
    void periodicTakesGoDurationsAndBareHours() {
        assertThat(periodic("1h")).isEqualTo(3_600_000);
        assertThat(periodic("30m")).isEqualTo(1_800_000);
        assertThat(periodic("10s")).isEqualTo(10_000);
        assertThat(periodic("1h30m")).isEqualTo(5_400_000);
        assertThat(periodic("1.5h")).isEqualTo(5_400_000);
        assertThat(periodic("2.5s")).isEqualTo(2_500);
        assertThat(periodic("750ms")).isEqualTo(750);
        assertThat(periodic("1")).isEqualTo(3_600_000); // etcd: a bare number is hours
        assertThat(periodic("72")).isEqualTo(72 * 3_600_000L);
        assertThat(periodic("1us")).isEqualTo(1); // positive stays on, rounded up to a millisecond
    }

    @Test
    void zeroTurnsItOff() {
        assertThat(AutoCompaction.parse("periodic", "0", INTERVAL).enabled()).isFalse();
        assertThat(AutoCompaction.parse("periodic", "0s", INTERVAL).enabled()).isFalse();
        assertThat(AutoCompaction.parse("revision", "0", INTERVAL).enabled()).isFalse();
        assertThat(AutoCompaction.parse("periodic", "1h", INTERVAL).enabled()).isTrue();
    }

    @Test
    void revisionTakesACount() {
        AutoCompaction a = AutoCompaction.parse("revision", "1000", 5_000);
        assertThat(a).isEqualTo(new AutoCompaction(AutoCompaction.Mode.REVISION, 1000, 5_000));
        assertThat(a.describe()).isEqualTo("revision 1000");
    }

    @Test
    void describesAsTheLogSaysIt() {
        assertThat(AutoCompaction.parse("periodic", "1", INTERVAL).describe()).isEqualTo("periodic 1h");
        assertThat(AutoCompaction.parse("periodic", "90m", INTERVAL).describe()).isEqualTo("periodic 90m");
        assertThat(AutoCompaction.parse("periodic", "5s", INTERVAL).describe()).isEqualTo("periodic 5s");
        assertThat(AutoCompaction.parse("periodic", "1.5s", INTERVAL).describe()).isEqualTo("periodic 1500ms");
    }

    @Test
    void badValuesNameTheFlag() {
        for (String bad : new String[] {"", "1.5", "-1h", "1d", "h", "1h x", "10 s", "1hm",
                "99999999999999999999", "3000000000000h"}) {
            assertThatThrownBy(() -> AutoCompaction.parse("periodic", bad, INTERVAL))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--auto-compaction-retention");
        }
        for (String bad : new String[] {"1h", "-5", "1.0", "many"}) {
            assertThatThrownBy(() -> AutoCompaction.parse("revision", bad, INTERVAL))
                    .as(bad).hasMessageContaining("revision mode keeps a number of revisions, got " + bad);
        }
        assertThatThrownBy(() -> AutoCompaction.parse("hourly", "1", INTERVAL))
                .hasMessage("--auto-compaction-mode must be periodic or revision, got hourly");
        assertThatThrownBy(() -> AutoCompaction.parse("revision", "10", 0))
                .hasMessageContaining("--auto-compaction-revision-interval");
    }
}
