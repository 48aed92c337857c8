package io.cairn.client.discovery;

import java.time.Duration;

/**
 * Flap damping for a service's health-checked instances: one whose checked health changes (UP
 * to DOWN or back, as its check's thresholds judge it) more than {@code changes} times within
 * {@code window} is held DOWN and marked {@linkplain ServiceInstance#flapping() flapping} until
 * its health has not changed for {@code hold}, so subscribers and load balancers see one change
 * instead of many.
 *
 * @param changes how many changes within the window are allowed, 1 to 100
 * @param window  how far back changes count, 1 s to 1 h
 * @param hold    how long health must stay unchanged before a held instance is released, 1 s to 1 h
 */
public record FlapDamping(int changes, Duration window, Duration hold) {
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofHours(1);

    /** @throws IllegalArgumentException for a value out of its range */
    public FlapDamping {
        if (changes < 1 || changes > 100) {
            throw new IllegalArgumentException("flap damping's changes must be 1 to 100, not " + changes);
        }
        for (Duration d : new Duration[] {window, hold}) {
            if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("flap damping's window and hold must be 1 s to 1 h, not " + d);
            }
        }
    }
}
