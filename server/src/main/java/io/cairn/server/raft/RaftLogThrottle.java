package io.cairn.server.raft;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * Lets each of JRaft's warnings through once per {@link #WINDOW_NANOS}, by logger and message format.
 * JRaft warns once per request for conditions that are routine while a member catches up (a
 * restarted follower rejects every AppendEntries that does not match its log until the leader
 * finds where they agree): hundreds of identical lines in a second, where an operator needs one.
 * Errors always pass, and so does everything that is not JRaft's.
 */
public final class RaftLogThrottle extends TurboFilter {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** JRaft's formats are constants, but a message built by concatenation would be new each time. */
    private static final int MAX_FORMATS = 1_000;
    private static final String JRAFT = "com.alipay.sofa.jraft";

    private final ConcurrentHashMap<String, Long> lastPassed = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public RaftLogThrottle() {
        this(System::nanoTime);
    }

    RaftLogThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // a turbo filter runs before the logger's own level: a silenced logger must not use up the window
        if (format == null || level == null || !level.isGreaterOrEqual(Level.WARN) || level.isGreaterOrEqual(Level.ERROR)
                || !logger.getName().startsWith(JRAFT) || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        long now = nanoTime.getAsLong();
        if (lastPassed.size() > MAX_FORMATS) {
            lastPassed.clear();
        }
        boolean[] pass = {false};
        lastPassed.compute(logger.getName() + ' ' + format, (f, last) -> {
            pass[0] = last == null || now - last >= WINDOW_NANOS;
            return pass[0] ? now : last;
        });
        return pass[0] ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
