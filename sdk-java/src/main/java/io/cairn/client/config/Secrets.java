package io.cairn.client.config;

import java.util.List;
import java.util.Objects;

/**
 * What of a config is secret: the whole content, or the values of some keys (of a properties
 * config) or paths (of a YAML or JSON one: {@code db.password}, {@code servers[0].token}). The
 * member that takes a publish seals them, so they are in clear on no member's disk; reads show
 * them as {@code ******} unless they reveal them (the SDK's reads do) and the user may: read
 * permission on {@code /cairn/config-reveal/<namespace>/} ({@code cairnctl grant ROLE NS reveal}).
 * Publishing {@code ******} where a secret value was keeps that value.
 *
 * @param whole the whole content is secret
 * @param keys  keys or paths whose values are secret (none when {@code whole})
 */
public record Secrets(boolean whole, List<String> keys) {
    /** What a reader without the reveal permission sees in place of a secret value. */
    public static final String MASK = "******";

    public Secrets {
        keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
        if (whole && !keys.isEmpty()) {
            throw new IllegalArgumentException("a config secret as a whole names no keys");
        }
    }

    public static Secrets none() {
        return new Secrets(false, List.of());
    }

    public static Secrets wholeContent() {
        return new Secrets(true, List.of());
    }

    public static Secrets keys(String... keys) {
        return new Secrets(false, List.of(keys));
    }

    /** Whether anything is secret. */
    public boolean any() {
        return whole || !keys.isEmpty();
    }
}
