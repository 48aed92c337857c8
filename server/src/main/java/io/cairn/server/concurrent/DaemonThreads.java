package io.cairn.server.concurrent;

import java.util.concurrent.ThreadFactory;

/** Threads for a member's own pools: named for thread dumps, and daemons, so none keeps a stopped member's JVM alive. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
