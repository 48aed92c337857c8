package io.cairn.server.node;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcd's {@code --auto-compaction-mode} and {@code --auto-compaction-retention}, read as etcd
 * reads them. Unlike etcd, where it is off unless asked for, Cairn compacts by default (the
 * launcher's defaults: periodic, one hour): a store nobody compacts fills its quota sooner or later.
 *
 * @param mode               how {@code retention} is counted
 * @param retention          periodic: milliseconds of history kept; revision: revisions kept;
 *                           0 turns auto-compaction off
 * @param revisionIntervalMs how often revision mode compacts; etcd's five minutes except in tests
 */
public record AutoCompaction(Mode mode, long retention, long revisionIntervalMs) {
    public enum Mode { PERIODIC, REVISION }

    public static final long DEFAULT_REVISION_INTERVAL_MS = 5 * 60 * 1000;

    /** One term of a Go duration such as {@code 1h30m}: a decimal number and its unit. */
    private static final Pattern TERM = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, BigDecimal> NANOS = Map.of(
            "ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000), "µs", BigDecimal.valueOf(1_000),
            "ms", BigDecimal.valueOf(1_000_000), "s", BigDecimal.valueOf(1_000_000_000L),
            "m", BigDecimal.valueOf(60_000_000_000L), "h", BigDecimal.valueOf(3_600_000_000_000L));

    public AutoCompaction {
        if (retention < 0 || revisionIntervalMs <= 0) {
            throw new IllegalArgumentException("auto-compaction retention must not be negative, nor its interval zero");
        }
    }

    /**
     * Reads the flags as etcd does: for {@code periodic}, a bare integer is hours and anything
     * else a Go duration ({@code 1h}, {@code 30m}, {@code 1h30m}, {@code 2.5s}); for
     * {@code revision}, a number of revisions. {@code 0} (or {@code 0s}) turns it off.
     *
     * @throws IllegalArgumentException with a message naming the flag
     */
    public static AutoCompaction parse(String mode, String retention, long revisionIntervalMs) {
        String value = retention.trim();
        if (revisionIntervalMs <= 0) {
            throw new IllegalArgumentException("--auto-compaction-revision-interval must be positive");
        }
        return switch (mode.trim()) {
            case "periodic" -> new AutoCompaction(Mode.PERIODIC, periodMillis(value), revisionIntervalMs);
            case "revision" -> new AutoCompaction(Mode.REVISION, revisions(value), revisionIntervalMs);
            default -> throw new IllegalArgumentException(
                    "--auto-compaction-mode must be periodic or revision, got " + mode);
        };
    }

    private static long periodMillis(String value) {
        if (value.matches("\\d+")) {
            try {
                return Math.multiplyExact(Long.parseLong(value), 3_600_000L); // etcd: a bare number is hours
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("--auto-compaction-retention is too long: " + value);
            }
        }
        Matcher m = TERM.matcher(value);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < value.length() && m.find(at) && m.start() == at) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(NANOS.get(m.group(2))));
            at = m.end();
        }
        if (value.isEmpty() || at != value.length()) {
            throw new IllegalArgumentException("--auto-compaction-retention: expected hours or a duration such as "
                    + "1h, 30m or 10s for periodic mode, got " + value);
        }
        if (nanos.signum() == 0) {
            return 0;
        }
        // a positive retention under a millisecond must not turn compaction off
        BigDecimal millis = nanos.divide(NANOS.get("ms"), 0, RoundingMode.CEILING);
        if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("--auto-compaction-retention is too long: " + value);
        }
        return millis.longValueExact();
    }

    private static long revisions(String value) {
        if (!value.matches("\\d{1,18}")) {
            throw new IllegalArgumentException(
                    "--auto-compaction-retention: revision mode keeps a number of revisions, got " + value);
        }
        return Long.parseLong(value);
    }

    public boolean enabled() {
        return retention > 0;
    }

    /** As the log says it: {@code periodic 1h}, {@code periodic 90s}, {@code revision 1000}. */
    public String describe() {
        if (mode == Mode.REVISION) {
            return "revision " + retention;
        }
        if (retention % 3_600_000 == 0) {
            return "periodic " + retention / 3_600_000 + "h";
        }
        if (retention % 60_000 == 0) {
            return "periodic " + retention / 60_000 + "m";
        }
        if (retention % 1_000 == 0) {
            return "periodic " + retention / 1_000 + "s";
        }
        return "periodic " + retention + "ms";
    }
}
