package io.cairn.client;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One listener's calls, run one at a time in the order told, on the client's shared listener
 * threads: a slow listener delays only its own calls (they wait in memory meanwhile), never the
 * stream that feeds it or other listeners. A call that throws is logged and the next one runs.
 * Once stopped the listener is told nothing more, but for a call already under way.
 *
 * @param <L> the listener's type
 */
final class ListenerQueue<L> {
    private static final System.Logger LOG = System.getLogger(ListenerQueue.class.getName());

    private final L listener;
    private final Executor pool;
    private final String failure;
    private final Queue<Consumer<L>> pending = new ArrayDeque<>();
    private boolean draining;
    private volatile boolean stopped;

    /**
     * @param listener may be null: then nobody is told anything
     * @param failure  what to log when a call throws, such as "a watch listener failed"
     */
    ListenerQueue(L listener, Executor pool, String failure) {
        this.listener = listener;
        this.pool = pool;
        this.failure = failure;
    }

    /** Queues a call to the listener. */
    void tell(Consumer<L> call) {
        if (listener == null || stopped) {
            return;
        }
        synchronized (pending) {
            pending.add(call);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RuntimeException e) {
            synchronized (pending) {
                draining = false; // the pool is shut down: the next call tries again
            }
            throw e;
        }
    }

    /** Drops the calls not yet started and tells nothing more. */
    void stop() {
        stopped = true;
        synchronized (pending) {
            pending.clear();
        }
    }

    private void drain() {
        while (true) {
            Consumer<L> call;
            synchronized (pending) {
                call = stopped ? null : pending.poll();
                if (call == null) {
                    draining = false;
                    return;
                }
            }
            try {
                call.accept(listener);
            } catch (RuntimeException | Error e) {
                // whatever a listener throws, its later calls still come
                LOG.log(System.Logger.Level.WARNING, failure, e);
            }
        }
    }
}
