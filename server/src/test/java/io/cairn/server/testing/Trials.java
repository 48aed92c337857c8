package io.cairn.server.testing;

import java.util.Random;

/**
 * Runs a property test as N seeded random trials, so that any failure can be replayed.
 * Trial {@code i} draws from {@code new Random(seed + i)}; a failure names that trial's own
 * seed, and {@code -Dcairn.prop.seed=<it> -Dcairn.prop.tries=1} runs exactly that trial again.
 *
 * <p>{@code -Dcairn.prop.seed} fixes the first seed (default: a fresh one each run, so that
 * successive runs explore different cases); {@code -Dcairn.prop.tries} overrides each test's
 * default number of trials (raise it for a long soak, the defaults keep the unit phase fast).
 */
public final class Trials {
    private Trials() {
    }

    /** One random case; throws (an assertion error or anything else) if the property fails. */
    @FunctionalInterface
    public interface Trial {
        void run(Random random) throws Exception;
    }

    public static void run(String name, int defaultTries, Trial trial) {
        long first = Long.getLong("cairn.prop.seed", new Random().nextLong());
        int tries = Integer.getInteger("cairn.prop.tries", defaultTries);
        // printed up front too: a run that hangs never reaches a failure message
        System.out.printf("%s: %d tries from seed %d%n", name, tries, first);
        for (int i = 0; i < tries; i++) {
            long seed = first + i;
            try {
                trial.run(new Random(seed));
            } catch (Throwable t) {
                throw new AssertionError(String.format("%s failed at try %d of %d, seed %d; replay with "
                        + "-Dcairn.prop.seed=%d -Dcairn.prop.tries=1%n%s", name, i + 1, tries, seed, seed, t), t);
            }
        }
    }
}
