package io.cairn.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

class JvmSignalsTest {
    /** JRaft's node class takes SIGUSR2 as it loads; after this the JVM has it again, for its samplers. */
    @Test
    void theSuspendSignalIsTheJvmsOnceJRaftHasLoaded() throws Exception {
        JvmSignals.keepSuspendSignal();
        assertThat(Class.forName("com.alipay.sofa.jraft.core.NodeImpl")).isNotNull();

        Signal usr2 = new Signal("USR2");
        SignalHandler current = Signal.handle(usr2, signal -> { });
        Signal.handle(usr2, current);
        assertThat(current.getClass().getName()).doesNotStartWith("com.alipay");
    }
}
