package io.cairn.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The quota refuses a growing write before LMDB could run out of map inside apply. */
class QuotaTest {
    private static final long MIB = 1L << 20;
    private static final long QUOTA = 100 * MIB;
    private static final long MAP = 2 * QUOTA + 1024 * MIB;

    @Test
    void writesPassWhileTheDataIsUnderTheQuotaAndTheFileFarFromTheMap() {
        assertThat(Quota.exceeded(300, 10 * MIB, QUOTA, 20 * MIB, MAP)).isFalse();
        assertThat(Quota.exceeded(0, 200 * MIB, QUOTA, MAP, MAP)).as("deletes cost nothing").isFalse();
    }

    @Test
    void dataAtTheQuotaIsRefused() {
        assertThat(Quota.exceeded(300, QUOTA - 100, QUOTA, QUOTA, MAP)).isTrue();
    }

    @Test
    void aFileGrownTowardsTheMapIsRefusedEvenWithLittleDataInUse() {
        // a long reader kept freed pages from reuse: the data is small, the file is not
        long nearMap = MAP - MAP / 8 - 100;
        assertThat(Quota.exceeded(300, 10 * MIB, QUOTA, nearMap, MAP)).isTrue();
        assertThat(Quota.exceeded(300, 10 * MIB, QUOTA, nearMap - MIB, MAP)).isFalse();
    }
}
