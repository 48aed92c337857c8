package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.errors.ServerError;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final AtomicInteger checks = new AtomicInteger();

    private String wrong() {
        checks.incrementAndGet();
        throw ServerError.AUTH_FAILED.exception();
    }

    private String right() {
        checks.incrementAndGet();
        return "ok";
    }

    @Test
    void afterThreeFailuresANameIsLockedAndItsPasswordNotEvenChecked() throws Exception {
        try (LoginThrottle throttle = new LoginThrottle(1, 8)) {
            for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
                assertThatThrownBy(() -> throttle.check("alice", this::wrong).get()).hasMessageContaining("authentication failed");
            }
            assertThat(checks).hasValue(LoginThrottle.FREE_FAILURES + 1);
            long start = System.nanoTime();
            // locked now: even the right password fails, unchecked, once the lock ends
            assertThatThrownBy(() -> throttle.check("alice", this::right).get()).hasMessageContaining("authentication failed");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(LoginThrottle.BASE_DELAY_MS / 2));
            assertThat(checks).hasValue(LoginThrottle.FREE_FAILURES + 1);
            // other names are not affected
            assertThat(throttle.check("bob", this::right).get()).isEqualTo("ok");
            // once the lock has passed, a right password works and clears the record
            Thread.sleep(LoginThrottle.BASE_DELAY_MS + 50);
            assertThat(throttle.check("alice", this::right).get()).isEqualTo("ok");
            assertThat(throttle.check("alice", this::right).get()).isEqualTo("ok");
        }
    }

    @Test
    void aFloodBeyondTheQueueIsRefusedAsTooManyRequests() throws Exception {
        try (LoginThrottle throttle = new LoginThrottle(1, 1)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            var busy = throttle.check("a", () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "done";
            });
            Thread.sleep(50);
            var queued = throttle.check("b", this::right);
            var refused = throttle.check("c", this::right);
            assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("too many requests");
            release.countDown();
            assertThat(busy.get()).isEqualTo("done");
            assertThat(queued.get()).isEqualTo("ok");
        }
    }
}
