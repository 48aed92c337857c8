package io.cairn.server.discovery;

import io.cairn.api.discovery.FlapDamping;
import io.cairn.api.discovery.HealthCheck;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.Status;
import java.util.ArrayDeque;

/**
 * What one persistent instance's checks say it should be. Its health, as the check's thresholds
 * judge it, turns DOWN after failure_threshold failures in a row and UP after success_threshold
 * passes. Where the service damps flapping, an instance whose health changed more than the
 * allowed times within the window is held DOWN and marked flapping until its health has not
 * changed for the hold time. Not thread-safe: the health checker's timer thread owns it.
 */
final class CheckVerdicts {
    /** The status and flapping mark an instance should have. */
    record Verdict(Status status, boolean flapping) {
    }

    private int passes;
    private int failures;
    /** Health as the thresholds last judged it; null until first judged. */
    private Boolean healthy;
    /** When health changed lately (ms), oldest first; kept only while damping is on. */
    private final ArrayDeque<Long> changesMs = new ArrayDeque<>();
    /** Held DOWN until this time unless health changes again; MIN_VALUE when not held. */
    private long heldUntilMs = Long.MIN_VALUE;

    /**
     * Takes a check's result for {@code current} (as last read) at {@code nowMs}.
     *
     * @param damping the service's flap damping, with its defaults filled in; null or 0 changes for none
     * @return what to write, or null when {@code current} already is what the checks say
     */
    Verdict judge(Instance current, boolean passed, FlapDamping damping, long nowMs) {
        boolean damped = damping != null && damping.getChanges() > 0;
        if (healthy == null) {
            // the first verdict of this leader: a flapping mark it finds is honoured for a whole hold
            healthy = current.getFlapping() ? null : current.getStatus() == Status.UP;
            if (current.getFlapping() && damped) {
                heldUntilMs = nowMs + damping.getHoldMs();
            }
        }
        if (passed) {
            passes++;
            failures = 0;
        } else {
            failures++;
            passes = 0;
        }
        HealthCheck c = current.getCheck();
        Boolean judged = failures >= c.getFailureThreshold() ? Boolean.FALSE
                : passes >= c.getSuccessThreshold() ? Boolean.TRUE : healthy;
        if (healthy != null && judged != null && !judged.equals(healthy) && damped) {
            changed(damping, nowMs);
        }
        healthy = judged;
        if (!damped) {
            changesMs.clear();
            heldUntilMs = Long.MIN_VALUE;
        }
        Verdict verdict = heldUntilMs > nowMs ? new Verdict(Status.DOWN, true)
                : new Verdict(healthy == null ? current.getStatus() : healthy ? Status.UP : Status.DOWN, false);
        return verdict.status() == current.getStatus() && verdict.flapping() == current.getFlapping() ? null : verdict;
    }

    private void changed(FlapDamping damping, long nowMs) {
        changesMs.addLast(nowMs);
        while (!changesMs.isEmpty() && changesMs.peekFirst() <= nowMs - damping.getWindowMs()) {
            changesMs.removeFirst();
        }
        while (changesMs.size() > damping.getChanges() + 1) {
            changesMs.removeFirst(); // one more than allowed is all it takes to hold
        }
        if (changesMs.size() > damping.getChanges() || heldUntilMs > nowMs) {
            heldUntilMs = nowMs + damping.getHoldMs(); // flapping, or flapping still: the hold starts again
        }
    }

    /** Whether the last verdict holds the instance for flapping. */
    boolean held(long nowMs) {
        return heldUntilMs > nowMs;
    }
}
