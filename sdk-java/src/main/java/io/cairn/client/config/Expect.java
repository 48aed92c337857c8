package io.cairn.client.config;

/**
 * What a change expects of the config's current version: a compare-and-set. A change whose
 * expectation fails is refused with FAILED_PRECONDITION ("config: version conflict") and
 * changes nothing.
 *
 * @param kind    what is expected
 * @param version with {@link Kind#VERSION}, the version that must be current; else 0
 */
public record Expect(Kind kind, long version) {
    /** Whatever the current version is. */
    public static final Expect ANY = new Expect(Kind.ANY, 0);
    private static final Expect ABSENT = new Expect(Kind.ABSENT, 0);

    /** The kinds of expectation. */
    public enum Kind {
        /** No expectation. */
        ANY,
        /** This version must be current. */
        VERSION,
        /** The config must not exist: never published, or deleted. */
        ABSENT
    }

    /** @throws IllegalArgumentException for a version below 1 with VERSION, or a version with another kind */
    public Expect {
        if (kind == null || (kind == Kind.VERSION) != (version > 0) || version < 0) {
            throw new IllegalArgumentException(kind == Kind.VERSION
                    ? "an expected version is at least 1, not " + version : "only Kind.VERSION carries a version");
        }
    }

    /** Only if {@code version} is the current one. */
    public static Expect version(long version) {
        return new Expect(Kind.VERSION, version);
    }

    /** Only if the config does not exist (never published, or deleted). */
    public static Expect absent() {
        return ABSENT;
    }
}
