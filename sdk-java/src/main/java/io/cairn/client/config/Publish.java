package io.cairn.client.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A publish: new content for a config, committed as its next version.
 *
 * <pre>{@code
 * Publish p = Publish.builder(ConfigKey.of("orders.yaml"), yaml).format(Format.YAML)
 *         .expect(Expect.version(3)).comment("raise the pool to 40").build();
 * }</pre>
 *
 * @param key     the config
 * @param content the new content; it must parse as its format (and satisfy the config's schema, if any)
 * @param format  the content's format; empty: the config's current format, or TEXT for a new config
 * @param expect  what the current version must be
 * @param comment kept with the version and in the audit record
 * @param secrets what is secret from this version on; empty: what the config had (nothing for a new one)
 */
public record Publish(ConfigKey key, String content, Optional<Format> format, Expect expect, String comment,
                      Optional<Secrets> secrets) {
    public Publish {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(comment, "comment");
    }

    public static Builder builder(ConfigKey key, String content) {
        return new Builder(key, content);
    }

    /** Builds a {@link Publish}: no format (the current one), no expectation, no comment unless set. */
    public static final class Builder {
        private final ConfigKey key;
        private final String content;
        private Format format;
        private Expect expect = Expect.ANY;
        private String comment = "";
        private Secrets secrets;

        private Builder(ConfigKey key, String content) {
            this.key = Objects.requireNonNull(key, "key");
            this.content = Objects.requireNonNull(content, "content");
        }

        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder expect(Expect expect) {
            this.expect = Objects.requireNonNull(expect, "expect");
            return this;
        }

        /** Only if {@code version} is current: {@code expect(Expect.version(version))}. */
        public Builder expectVersion(long version) {
            return expect(Expect.version(version));
        }

        /** Only if the config does not exist: {@code expect(Expect.absent())}. */
        public Builder mustNotExist() {
            return expect(Expect.absent());
        }

        public Builder comment(String comment) {
            this.comment = Objects.requireNonNull(comment, "comment");
            return this;
        }

        /** What is secret from this version on: see {@link Secrets}. */
        public Builder secrets(Secrets secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /** The values of these keys (properties) or paths (YAML, JSON) are secret. */
        public Builder secretKeys(String... keys) {
            return secrets(Secrets.keys(keys));
        }

        public Publish build() {
            return new Publish(key, content, Optional.ofNullable(format), expect, comment, Optional.ofNullable(secrets));
        }
    }
}
