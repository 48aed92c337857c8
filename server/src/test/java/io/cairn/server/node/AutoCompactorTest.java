package io.cairn.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The compactor's decisions, on a clock the test moves. */
class AutoCompactorTest {
    private static final long HOUR = 3_600_000;

    private static AutoCompactor periodic(long retentionMs) {
        return new AutoCompactor(new AutoCompaction(AutoCompaction.Mode.PERIODIC, retentionMs, 300_000));
    }

    @Test
    void periodicTicksAtATenthOfTheRetentionWithinBounds() {
        assertThat(periodic(HOUR).tickMillis()).isEqualTo(360_000);
        assertThat(periodic(24 * HOUR).tickMillis()).isEqualTo(360_000); // etcd's cap: one hour's tenth
        assertThat(periodic(30_000).tickMillis()).isEqualTo(3_000);
        assertThat(periodic(3_000).tickMillis()).isEqualTo(1_000); // bounded below
    }

    @Test
    void periodicCompactsToTheRevisionSeenOneRetentionAgo() {
        AutoCompactor c = periodic(HOUR);
        long tick = c.tickMillis();
        long now = 1_000_000; // a monotonic clock starts anywhere
        long rev = 1;
        // the first hour: samples only, nothing is a retention old yet
        for (int i = 0; i < 10; i++, now += tick, rev += 100) {
            assertThat(c.tick(now, rev, -1, true)).as("tick %d", i).isZero();
        }
        // an hour after the first sample (revision 1), compact to it; then a tick's worth at a time
        assertThat(c.tick(now, rev, -1, true)).isEqualTo(1);
        now += tick;
        rev += 100;
        assertThat(c.tick(now, rev, 1, true)).isEqualTo(101);
        now += tick;
        rev += 100;
        assertThat(c.tick(now, rev, 101, true)).isEqualTo(201);
    }

    @Test
    void periodicTakesTheNewestSampleAtLeastOneRetentionOld() {
        AutoCompactor c = periodic(10_000);
        assertThat(c.tick(0, 5, 0, true)).isZero();
        assertThat(c.tick(4_000, 9, 0, true)).isZero();
        assertThat(c.tick(9_999, 12, 0, true)).isZero(); // revision 5 is not quite 10 s old
        assertThat(c.tick(10_000, 12, 0, true)).isEqualTo(5);
        // a late tick (a paused timer): revision 9 is the newest a retention old, not 12
        assertThat(c.tick(19_000, 20, 5, true)).isEqualTo(9);
    }

    @Test
    void followersSampleButOnlyTheLeaderCompacts() {
        AutoCompactor c = periodic(10_000);
        assertThat(c.tick(0, 5, 0, false)).isZero();
        assertThat(c.tick(5_000, 8, 0, false)).isZero();
        assertThat(c.tick(10_000, 9, 0, false)).isZero();
        // leadership arrives: the samples taken as a follower count at once
        assertThat(c.tick(15_000, 11, 0, true)).isEqualTo(8);
    }

    @Test
    void nothingAtOrBelowTheCompactedRevision() {
        AutoCompactor c = periodic(10_000);
        c.tick(0, 5, 0, true);
        assertThat(c.tick(10_000, 5, 5, true)).isZero(); // no writes since the last compaction
        assertThat(c.tick(20_000, 5, 7, true)).isZero(); // a client compacted further
        assertThat(c.tick(30_000, 9, 4, true)).isEqualTo(5);
    }

    @Test
    void revisionModeKeepsTheRetentionOfRevisions() {
        AutoCompactor c = new AutoCompactor(new AutoCompaction(AutoCompaction.Mode.REVISION, 10, 250));
        assertThat(c.tickMillis()).isEqualTo(250);
        assertThat(c.tick(0, 8, -1, true)).isZero(); // fewer revisions than the retention
        assertThat(c.tick(250, 11, -1, true)).isEqualTo(1);
        assertThat(c.tick(500, 11, 1, true)).isZero();
        assertThat(c.tick(750, 50, 1, false)).isZero();
        assertThat(c.tick(1000, 50, 1, true)).isEqualTo(40);
    }

    @Test
    void noSpaceClearsBelowNinetyPercentOfTheQuota() {
        assertThat(Quota.roomAgain(8_999_999, 10_000_000)).isTrue();
        assertThat(Quota.roomAgain(9_000_000, 10_000_000)).isFalse();
        assertThat(Quota.roomAgain(9_900_000, 10_000_000)).isFalse(); // under the quota but not by enough
    }
}
