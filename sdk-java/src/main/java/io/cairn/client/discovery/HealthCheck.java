package io.cairn.client.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * An active health check, for an instance that cannot heartbeat (a database, a legacy service):
 * the cluster's leader runs it every {@code interval} and marks the instance DOWN after
 * {@code failureThreshold} failures in a row, UP again after {@code successThreshold} passes.
 * Build one with {@link #tcp()}, {@link #http(String)} or {@link #grpc(String)}, then adjust it:
 *
 * <pre>{@code
 * HealthCheck check = HealthCheck.http("/health").withInterval(Duration.ofSeconds(2)).withFailureThreshold(2);
 * }</pre>
 *
 * @param kind             how the instance is checked
 * @param target           for HTTP the path asked for ({@code /health}); for gRPC the service
 *                         name given to {@code grpc.health.v1.Health/Check} (empty: the whole
 *                         server); empty for TCP
 * @param interval         between two checks (default 5 s)
 * @param timeout          for one check (default 2 s)
 * @param failureThreshold failures in a row that make the instance DOWN (default 3)
 * @param successThreshold passes in a row that make it UP again (default 1)
 */
public record HealthCheck(Kind kind, String target, Duration interval, Duration timeout,
                          int failureThreshold, int successThreshold) {
    /** The server's defaults, used for whatever a check does not set. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;

    /** How an instance is checked. */
    public enum Kind {
        /** A TCP connection to the instance's host and port opens. */
        TCP,
        /** {@code GET http://host:port<path>} answers 2xx. */
        HTTP,
        /** The gRPC health protocol answers SERVING. */
        GRPC
    }

    /** @throws IllegalArgumentException for a duration under 1 ms or a threshold under 1 */
    public HealthCheck {
        Objects.requireNonNull(kind, "kind");
        target = target == null ? "" : target;
        if (kind == Kind.HTTP && !target.startsWith("/")) {
            throw new IllegalArgumentException("an HTTP check's path must start with /: \"" + target + "\"");
        }
        positive("interval", interval);
        positive("timeout", timeout);
        if (failureThreshold < 1 || successThreshold < 1) {
            throw new IllegalArgumentException("a check's thresholds are at least 1");
        }
    }

    /** Connects to the instance's port. */
    public static HealthCheck tcp() {
        return of(Kind.TCP, "");
    }

    /** {@code GET http://host:port<path>}; 2xx is healthy. */
    public static HealthCheck http(String path) {
        return of(Kind.HTTP, path);
    }

    /** {@code grpc.health.v1.Health/Check} for {@code service} (empty: the whole server); SERVING is healthy. */
    public static HealthCheck grpc(String service) {
        return of(Kind.GRPC, service);
    }

    private static HealthCheck of(Kind kind, String target) {
        return new HealthCheck(kind, target, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_FAILURE_THRESHOLD,
                DEFAULT_SUCCESS_THRESHOLD);
    }

    /** The same check, run every {@code interval}. */
    public HealthCheck withInterval(Duration interval) {
        return new HealthCheck(kind, target, interval, timeout, failureThreshold, successThreshold);
    }

    /** The same check, failed when it takes longer than {@code timeout}. */
    public HealthCheck withTimeout(Duration timeout) {
        return new HealthCheck(kind, target, interval, timeout, failureThreshold, successThreshold);
    }

    /** The same check, turning the instance DOWN after {@code failures} failures in a row. */
    public HealthCheck withFailureThreshold(int failures) {
        return new HealthCheck(kind, target, interval, timeout, failures, successThreshold);
    }

    /** The same check, turning the instance UP again after {@code passes} passes in a row. */
    public HealthCheck withSuccessThreshold(int passes) {
        return new HealthCheck(kind, target, interval, timeout, failureThreshold, passes);
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.toMillis() < 1) {
            throw new IllegalArgumentException("a check's " + what + " is at least 1 ms: " + d);
        }
    }
}
