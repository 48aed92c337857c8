package io.cairn.server.auth;

import io.cairn.server.errors.ServerError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Slows down password guessing. Checks run on a small pool with a bounded queue (bcrypt is
 * meant to be slow; a flood is refused with "too many requests" instead of starving the node),
 * and after {@link #FREE_FAILURES} failures in a row for one name that name is locked for a
 * time that doubles with each further failure, up to {@link #MAX_DELAY_MS}: an attempt while
 * locked fails without its password being looked at, once the lock ends. A success clears it.
 */
public final class LoginThrottle implements AutoCloseable {
    static final int FREE_FAILURES = 3;
    static final long BASE_DELAY_MS = 250;
    static final long MAX_DELAY_MS = 8_000;
    /** Names remembered at most, so random names cannot grow memory. */
    private static final int MAX_NAMES = 10_000;

    private final ThreadPoolExecutor checks;
    private record Failures(int count, long lockedUntilNanos) {
    }

    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_NAMES;
        }
    };

    public LoginThrottle(int threads, int queue) {
        this.checks = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "cairn-login");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Runs a password check for {@code name}; the future fails with AUTH_FAILED (or what the
     * check threw) after the delay this name has earned.
     */
    public <T> CompletableFuture<T> check(String name, Supplier<T> passwordCheck) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long lockedForNanos = lockedFor(name);
        if (lockedForNanos > 0) {
            CompletableFuture.delayedExecutor(lockedForNanos, TimeUnit.NANOSECONDS)
                    .execute(() -> result.completeExceptionally(ServerError.AUTH_FAILED.exception()));
            return result;
        }
        try {
            checks.execute(() -> {
                try {
                    T value = passwordCheck.get();
                    succeeded(name);
                    result.complete(value);
                } catch (RuntimeException e) {
                    failed(name);
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(ServerError.TOO_MANY_REQUESTS.exception());
        }
        return result;
    }

    private synchronized void succeeded(String name) {
        failures.remove(name);
    }

    private synchronized long lockedFor(String name) {
        Failures f = failures.get(name);
        return f == null ? 0 : f.lockedUntilNanos() - System.nanoTime();
    }

    private synchronized void failed(String name) {
        Failures before = failures.get(name);
        int n = before == null ? 1 : before.count() + 1;
        long lockMs = n <= FREE_FAILURES ? 0
                : Math.min(MAX_DELAY_MS, BASE_DELAY_MS << Math.min(n - FREE_FAILURES - 1, 20));
        failures.put(name, new Failures(n, System.nanoTime() + lockMs * 1_000_000));
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
