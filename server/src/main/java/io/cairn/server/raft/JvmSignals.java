package io.cairn.server.raft;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * JRaft takes SIGUSR2 for a dump of its nodes. HotSpot suspends threads with that signal for its
 * samplers (JFR's execution samples among them), so while JRaft's handler is in place each sample
 * starts a Java handler thread instead and none is taken: a member could not be profiled. This
 * loads JRaft's node class, whose initializer takes the signal, and gives the signal back.
 */
final class JvmSignals {
    private static boolean done;

    private JvmSignals() {
    }

    static synchronized void keepSuspendSignal() {
        if (done) {
            return;
        }
        done = true;
        try {
            Signal usr2 = new Signal("USR2");
            SignalHandler jvm = Signal.handle(usr2, signal -> { }); // a sample in this instant is only lost
            Class.forName("com.alipay.sofa.jraft.core.NodeImpl", true, JvmSignals.class.getClassLoader());
            Signal.handle(usr2, jvm);
        } catch (IllegalArgumentException e) {
            // this JVM keeps the signal to itself, or has none such: JRaft could not take it either
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("JRaft is not on the class path", e);
        }
    }
}
