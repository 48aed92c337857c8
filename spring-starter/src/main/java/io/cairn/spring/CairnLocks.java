package io.cairn.spring;

import io.cairn.client.Client;
import io.cairn.client.Lock;
import io.cairn.client.Session;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs work while holding a cluster-wide lock, for the code that must run on one instance at a
 * time (a scheduled job, a migration):
 *
 * <pre>{@code
 * locks.runLocked("nightly-report", Duration.ofSeconds(5), report::send);
 * }</pre>
 *
 * <p>Each call holds the lock on a session of its own (a lease kept alive while the work runs,
 * revoked after it), so two threads of one application exclude each other as two applications
 * do, and a holder that dies frees the lock within the session's TTL. If the session is lost
 * while the work runs (the cluster unreachable for a whole TTL), another holder may get the
 * lock: writes that must not race use {@link Lock.Held#guard()} in a transaction.
 */
public class CairnLocks {
    private final Client client;
    private final Duration sessionTtl;

    public CairnLocks(Client client, Duration sessionTtl) {
        this.client = client;
        this.sessionTtl = sessionTtl;
    }

    /**
     * Waits up to {@code wait} for the lock named {@code name}, calls {@code work} holding it,
     * and lets it go.
     *
     * @throws io.cairn.client.CairnException DEADLINE_EXCEEDED when the lock is not had within {@code wait}
     */
    public <T> T callLocked(String name, Duration wait, Callable<T> work) throws Exception {
        try (Session session = await(client.session(sessionTtl))) {
            Lock.Held held = await(client.lock().lock(name, session.leaseId(), wait));
            try {
                return work.call();
            } finally {
                client.lock().unlockSync(held);
            }
        }
    }

    /** The SDK's failure (a CairnException) rather than the future's wrapper of it. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** {@link #callLocked} for work without a result. */
    public void runLocked(String name, Duration wait, Runnable work) throws Exception {
        callLocked(name, wait, () -> {
            work.run();
            return null;
        });
    }
}
