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
 * This client's rollout receipts: for each config its listeners were told, the version every
 * live subscription of it has taken (the oldest, while one is still at work on a newer), or a
 * failure, which holds until the subscription that failed takes a newer version. When the last
 * subscription of a config closes, its receipt is withdrawn. Each receipt is reported to the
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

    /** What one subscription was last told of a config, and its failure (null: it took it). */
    private record Told(ConfigKey key, long version, long revision, String md5, boolean gray, String error) {
        static Told of(Config c, String error) {
            return new Told(c.key(), c.version(), c.revision(), c.md5(), c.gray(), error);
        }
    }

    private final Calls calls;
    private final Lease lease;
    private final ClientInfo client;
    private final Duration ttl;
    /** Per config, per subscription told of it. */
    private final Map<ConfigKey, Map<ConfigSubscription, Told>> told = new HashMap<>();
    /** Configs whose receipt changed since it was last sent (or must be withdrawn). */
    private final Set<ConfigKey> unsent = new LinkedHashSet<>();
    /** Configs with a receipt on the cluster, in this session. */
    private final Set<ConfigKey> reported = new HashSet<>();
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

    /** {@code subscription}'s listener was told {@code config}: it took it ({@code failure} null) or threw. */
    void told(ConfigSubscription subscription, Config config, Throwable failure) {
        synchronized (this) {
            // a listener call under way when its subscription closed ends after forget(): it is not brought back
            if (closed || subscription.isClosed()) {
                return;
            }
            Told now = Told.of(config, failure == null ? null : describe(failure));
            Told before = told.computeIfAbsent(config.key(), k -> new HashMap<>()).put(subscription, now);
            if (now.equals(before)) {
                return;
            }
            unsent.add(config.key());
        }
        send();
    }

    /** {@code subscription} closed: a config no live subscription uses has its receipt withdrawn. */
    void forget(ConfigSubscription subscription) {
        synchronized (this) {
            for (var it = told.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<ConfigKey, Map<ConfigSubscription, Told>> e = it.next();
                if (e.getValue().remove(subscription) != null && e.getValue().isEmpty()) {
                    it.remove();
                    unsent.add(e.getKey());
                }
            }
        }
        send();
    }

    /**
     * Call with the monitor held: what to report of {@code key}: a failure, if a subscription
     * failed what it was last told; else the oldest version every subscription took; null to withdraw.
     */
    private Told receipt(ConfigKey key) {
        Map<ConfigSubscription, Told> subs = told.get(key);
        if (subs == null || subs.isEmpty()) {
            return null;
        }
        return subs.values().stream().filter(t -> t.error() != null).findFirst()
                .orElseGet(() -> subs.values().stream().min(java.util.Comparator.comparingLong(Told::revision)).orElseThrow());
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
        Told state;
        CompletableFuture<Session> in;
        synchronized (this) {
            while (true) {
                if (sending || closed || unsent.isEmpty()) {
                    return;
                }
                next = unsent.iterator().next();
                unsent.remove(next);
                state = receipt(next);
                if (state != null || reported.contains(next)) {
                    break; // a receipt to send, or one on the cluster to withdraw
                }
            }
            sending = true;
            in = session();
        }
        Told sent = state;
        ConfigKey key = next;
        in.thenCompose(s -> calls.unary(ConfigGrpc.getReportMethod(), sent == null ? ConfigWire.withdraw(client, key, s.leaseId())
                        : ConfigWire.report(client, key, sent.version(), sent.md5(), sent.gray(), sent.error(), s.leaseId()), false))
                .whenComplete((ok, failure) -> {
                    long retryMs;
                    synchronized (this) {
                        sending = false;
                        if (failure == null) {
                            failures = 0;
                            retryMs = 0;
                            if (sent == null) {
                                reported.remove(key);
                            } else {
                                reported.add(key);
                            }
                        } else {
                            CairnException why = CairnException.of(failure);
                            if (why.getMessage().contains("requested lease not found")) {
                                session = null; // gone before the session noticed: all go again in a new one
                                reported.clear();
                                unsent.addAll(told.keySet());
                                retryMs = 0;
                            } else if (Calls.isStreamRefusal(why) || why.code() == CairnException.Code.NOT_FOUND) {
                                // refused for good (a client id the server will not take, no permission,
                                // no such namespace): sending it again cannot help
                                LOG.log(System.Logger.Level.WARNING, "the cluster refused the rollout receipt of " + key
                                        + ": " + why.getMessage());
                                retryMs = 0;
                            } else {
                                unsent.add(key); // what it says then is worked out again
                                retryMs = Calls.reopenDelayMs(failures++);
                                if (failures == 1) {
                                    LOG.log(System.Logger.Level.WARNING, "cannot report the rollout receipt of " + key
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
            reported.clear();
            unsent.addAll(told.keySet());
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
