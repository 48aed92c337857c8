package io.cairn.server.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.apply.Keyspace;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's lease clock, on a clock the test turns by hand. */
class LessorTest {
    @TempDir
    Path dir;
    Keyspace ks;
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    Lessor lessor;

    @BeforeEach
    void open() {
        ks = new Keyspace(dir); // holds lease 42, TTL 60 s
        lessor = new Lessor(ks.leases(), now::get, 1000);
    }

    @AfterEach
    void close() {
        ks.close();
    }

    private void advanceSeconds(double s) {
        now.addAndGet((long) (s * TimeUnit.SECONDS.toNanos(1)));
    }

    private void assertRenewalRefused(long id, ServerError error) {
        assertThatThrownBy(() -> lessor.renew(id)).isInstanceOf(ServerException.class)
                .extracting(e -> ((ServerException) e).error()).isEqualTo(error);
    }

    @Test
    void aFollowerExpiresAndRenewsNothing() {
        advanceSeconds(1000);
        assertThat(lessor.expired(10)).isEmpty();
        assertRenewalRefused(42, ServerError.NOT_LEADER);
        assertThat(lessor.remainingSeconds(42)).isEqualTo(-1);
    }

    @Test
    void aDemotedLeaderRenewsNothing() {
        lessor.promote();
        assertThat(lessor.renew(42)).isEqualTo(60);
        lessor.demote();
        assertRenewalRefused(42, ServerError.NOT_LEADER);
    }

    /** Its revoke is proposed or about to be: a renewal would promise time its keys do not have. */
    @Test
    void anExpiredLeaseIsNotRenewed() {
        lessor.promote();
        advanceSeconds(61.1);
        assertThat(lessor.expired(10)).containsExactly(42L);
        assertRenewalRefused(42, ServerError.LEASE_NOT_FOUND);
        assertThat(lessor.expired(10)).as("still due for its revoke").containsExactly(42L);
        assertThat(lessor.remainingSeconds(42)).isZero();
    }

    @Test
    void aNewLeaderGivesEveryLeaseItsTtlPlusAnElectionTimeout() {
        lessor.promote();
        assertThat(lessor.remainingSeconds(42)).isEqualTo(61);
        advanceSeconds(60.9);
        assertThat(lessor.expired(10)).isEmpty();
        advanceSeconds(0.2);
        assertThat(lessor.expired(10)).containsExactly(42L);
    }

    @Test
    void renewalRestartsTheTtl() {
        lessor.promote();
        advanceSeconds(50);
        assertThat(lessor.renew(42)).isEqualTo(60);
        advanceSeconds(59);
        assertThat(lessor.expired(10)).isEmpty();
        assertThat(lessor.remainingSeconds(42)).isEqualTo(1);
        assertRenewalRefused(7, ServerError.LEASE_NOT_FOUND);
    }

    @Test
    void aCheckpointedLeaseKeepsOnlyWhatItHadLeftAcrossALeaderChange() {
        lessor.promote();
        advanceSeconds(45);
        assertThat(lessor.remainingForCheckpoint()).containsEntry(42L, 16L);
        ks.checkpoint(42, 16);
        lessor.demote();
        lessor.promote(); // a new leader, with the checkpoint
        assertThat(lessor.remainingSeconds(42)).isEqualTo(17);
        advanceSeconds(17.1);
        assertThat(lessor.expired(10)).containsExactly(42L);
    }

    @Test
    void expiredLeasesComeOldestFirstAndBounded() {
        ks.grant(1, 5);
        ks.grant(2, 3);
        ks.grant(3, 4);
        lessor.promote();
        advanceSeconds(100);
        assertThat(lessor.expired(2)).containsExactly(2L, 3L);
        assertThat(lessor.expired(10)).containsExactly(2L, 3L, 1L, 42L);
    }
}
