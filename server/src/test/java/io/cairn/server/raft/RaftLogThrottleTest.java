package io.cairn.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RaftLogThrottleTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger nodeImpl = context.getLogger("com.alipay.sofa.jraft.core.NodeImpl");
    private final AtomicLong now = new AtomicLong(1_000);
    private final RaftLogThrottle throttle = new RaftLogThrottle(now::get);

    private FilterReply warn(Logger logger, String format) {
        return throttle.decide(null, logger, Level.WARN, format, new Object[] {1L}, null);
    }

    @Test
    void aRepeatedRaftWarningPassesOncePerWindow() {
        String reject = "Node {} reject term_unmatched AppendEntriesRequest from {}";
        assertThat(warn(nodeImpl, reject)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(warn(nodeImpl, reject)).isEqualTo(FilterReply.DENY);
        assertThat(warn(nodeImpl, "Node {} another warning")).isEqualTo(FilterReply.NEUTRAL);
        now.addAndGet(RaftLogThrottle.WINDOW_NANOS - 1);
        assertThat(warn(nodeImpl, reject)).isEqualTo(FilterReply.DENY);
        now.addAndGet(1);
        assertThat(warn(nodeImpl, reject)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(warn(nodeImpl, reject)).isEqualTo(FilterReply.DENY);
    }

    @Test
    void aSilencedLoggerDoesNotUseUpTheWindow() {
        Logger replicator = context.getLogger("com.alipay.sofa.jraft.core.Replicator");
        replicator.setLevel(Level.OFF);
        Logger group = context.getLogger("com.alipay.sofa.jraft.core.ReplicatorGroupImpl");
        for (int i = 0; i < 3; i++) {
            assertThat(warn(replicator, "Fail to issue RPC to {}")).isEqualTo(FilterReply.NEUTRAL);
        }
        assertThat(warn(group, "Fail to issue RPC to {}")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(warn(group, "Fail to issue RPC to {}")).isEqualTo(FilterReply.DENY);
    }

    @Test
    void errorsAndOtherLoggersAlwaysPass() {
        Logger cairn = context.getLogger("io.cairn.server.node.MembershipDuties");
        for (int i = 0; i < 3; i++) {
            assertThat(warn(cairn, "Membership upkeep failed, will retry: {}")).isEqualTo(FilterReply.NEUTRAL);
            assertThat(throttle.decide(null, nodeImpl, Level.ERROR, "Node {} failed", null, null))
                    .isEqualTo(FilterReply.NEUTRAL);
            assertThat(throttle.decide(null, nodeImpl, Level.INFO, "Node {} started", null, null))
                    .isEqualTo(FilterReply.NEUTRAL);
        }
    }
}
