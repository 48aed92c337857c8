package io.cairn.client;

import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * This client's rollout receipts: for each config its listeners were told, the version last told
 * and whether every listener took it (else the first failure). Each receipt is reported to the
 * cluster on a session lease of the client's own, so that when the client dies its receipts go
 * by themselves within the lease's TTL; closing the client revokes the lease at once. Reports
 * are sent one at a time, the newest state of each config only; a report that fails (the
 * cluster unreachable) is sent again later, and all are sent again in a new session when the
 * lease was lost. Thread-safe.
 */
final class ConfigReceipts {
    private static final System.Logger LOG = System.getLogger(ConfigReceipts.class.getName());
    /** A listener's failure is kept to this many characters: the server takes small receipts only. */
    private static final int MAX_ERROR_CHARS = 2000;

    /** The version last told of a config, and what its listeners made of it so far. */
    private record State(Config config, String error) {
    }

    private final Calls calls;
    private final Lease lease;
    private final ClientInfo client;
    private final Duration ttl;
    private final Map<ConfigKey, State> latest = new HashMap<>();
    private final Set<ConfigKey> unsent = new LinkedHashSet<>();
    private CompletableFuture<Session> session;
    private boolean sending;
    private boolean closed;
    private int failures;

    ConfigReceipts(Calls calls, Lease lease, ClientInfo client, Duration ttl) {
        this.calls = calls;
        this.lease = lease;
        this.client = client;
        this.ttl = ttl;
    }

    /** A listener was told {@code config}: it took it ({@code failure} null) or threw. */
    void told(Config config, Throwable failure) {
        synchronized (this) {
            if (closed) {
                return;
            }
            State before = latest.get(config.key());
            boolean sameVersion = before != null && ConfigFeed.sameVersion(before.config(), config);
            if (sameVersion && (failure == null || before.error() != null)) {
                return; // another listener took the same version, or it already failed
            }
            latest.put(config.key(), new State(config, failure == null ? null : describe(failure)));
            unsent.add(config.key());
        }
        send();
    }

    /** The failure and its causes, which usually say what was wrong (a framework's wrapper seldom does). */
    private static String describe(Throwable failure) {
        StringBuilder s = new StringBuilder(failure.toString());
        Set<Throwable> seen = new HashSet<>(List.of(failure));
        for (Throwable c = failure.getCause(); c != null && seen.add(c) && s.length() < MAX_ERROR_CHARS; c = c.getCause()) {
            s.append("; caused by: ").append(c);
        }
        return s.length() <= MAX_ERROR_CHARS ? s.toString() : s.substring(0, MAX_ERROR_CHARS) + "...";
    }

    /** Sends the unsent receipts, one at a time, unless a sender is at it already. */
    private void send() {
        ConfigKey next;
        State state;
        CompletableFuture<Session> in;
        synchronized (this) {
            if (sending || closed || unsent.isEmpty()) {
                return;
            }
            sending = true;
            next = unsent.iterator().next();
            unsent.remove(next);
            state = latest.get(next);
            in = session();
        }
        in.thenCompose(s -> calls.unary(ConfigGrpc.getReportMethod(),
                        ConfigWire.report(client, state.config(), state.error(), s.leaseId()), false))
                .whenComplete((ok, failure) -> {
                    long retryMs;
                    synchronized (this) {
                        sending = false;
                        if (failure == null) {
                            failures = 0;
                            retryMs = 0;
                        } else {
                            CairnException why = CairnException.of(failure);
                            if (why.getMessage().contains("requested lease not found")) {
                                session = null; // gone before the session noticed: all go again in a new one
                                unsent.addAll(latest.keySet());
                                retryMs = 0;
                            } else if (Calls.isStreamRefusal(why) || why.code() == CairnException.Code.NOT_FOUND) {
                                // refused for good (a client id the server will not take, no permission,
                                // no such namespace): sending it again cannot help
                                LOG.log(System.Logger.Level.WARNING, "the cluster refused the rollout receipt of " + next
                                        + ": " + why.getMessage());
                                retryMs = 0;
                            } else {
                                if (latest.get(next) == state) {
                                    unsent.add(next);
                                }
                                retryMs = Calls.reopenDelayMs(failures++);
                                if (failures == 1) {
                                    LOG.log(System.Logger.Level.WARNING, "cannot report the rollout receipt of " + next
                                            + " (" + why.getMessage() + "); trying again");
                                }
                            }
                        }
                    }
                    if (retryMs == 0) {
                        send();
                    } else {
                        calls.timer().schedule(this::send, retryMs, TimeUnit.MILLISECONDS);
                    }
                });
    }

    /** Call with the monitor held: the session the receipts hang on, opened anew when it was lost or never opened. */
    private CompletableFuture<Session> session() {
        if (session == null || (session.isDone() && (session.isCompletedExceptionally() || session.join().isLost()))) {
            CompletableFuture<Session> opening = Session.open(lease, calls, ttl);
            session = opening;
            opening.thenAccept(s -> s.lost().thenRun(() -> lost(opening)));
        }
        return session;
    }

    /** The lease ended while the client lived (a partition, a long pause): every receipt is sent again. */
    private void lost(CompletableFuture<Session> which) {
        synchronized (this) {
            if (session != which || closed) {
                return;
            }
            session = null;
            unsent.addAll(latest.keySet());
        }
        send();
    }

    /** The client is closing: the lease is revoked, so its receipts go at once. */
    CompletableFuture<Void> close() {
        CompletableFuture<Session> open;
        synchronized (this) {
            closed = true;
            open = session;
        }
        if (open == null) {
            return CompletableFuture.completedFuture(null);
        }
        return open.handle((s, failure) -> s).thenCompose(s -> s == null ? CompletableFuture.completedFuture(null) : s.closeAsync());
    }
}
