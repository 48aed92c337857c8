package io.cairn.client.discovery;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An instance chosen for one request. Close it when the request ends, however it ends: a
 * balancer that counts requests under way (see {@link LoadBalancer#leastOutstanding()}) learns
 * so; for the others closing does nothing. Closing twice is harmless.
 *
 * <pre>{@code
 * try (Pick pick = view.pick(balancer).orElseThrow()) {
 *     send(pick.instance().address(), request);
 * }
 * }</pre>
 */
public final class Pick implements AutoCloseable {
    private static final Runnable NOTHING = () -> { };

    private final ServiceInstance instance;
    private final Runnable whenDone;
    private final AtomicBoolean done = new AtomicBoolean();

    private Pick(ServiceInstance instance, Runnable whenDone) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.whenDone = whenDone;
    }

    /** A pick that needs no word when its request ends. */
    public static Pick of(ServiceInstance instance) {
        return new Pick(instance, NOTHING);
    }

    /** A pick that runs {@code whenDone} once, when it is first closed; for balancers of one's own. */
    public static Pick of(ServiceInstance instance, Runnable whenDone) {
        return new Pick(instance, Objects.requireNonNull(whenDone, "whenDone"));
    }

    /** The instance to send the request to. */
    public ServiceInstance instance() {
        return instance;
    }

    /** The request ended. */
    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            whenDone.run();
        }
    }
}
