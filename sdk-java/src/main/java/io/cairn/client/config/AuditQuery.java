package io.cairn.client.config;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A search of a namespace's audit records, newest first.
 *
 * @param namespace the namespace
 * @param user      only this user's changes; empty for anyone's
 * @param since     only changes at or after this time
 * @param until     only changes before this time
 * @param pageSize  at most this many (0: the server's default and maximum, 500)
 * @param pageToken empty for the first page, then the previous page's {@link AuditPage#nextPageToken()}
 */
public record AuditQuery(String namespace, String user, Optional<Instant> since, Optional<Instant> until, int pageSize,
                         String pageToken) {
    public AuditQuery {
        ConfigKey.checkName("namespace", namespace);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(pageToken, "pageToken");
        if (pageSize < 0) {
            throw new IllegalArgumentException("page size " + pageSize + " is negative");
        }
    }

    /** Every record of the namespace, one page of the server's default size. */
    public static Builder builder(String namespace) {
        return new Builder(namespace);
    }

    /** The same query from another page on. */
    public AuditQuery page(String token) {
        return new AuditQuery(namespace, user, since, until, pageSize, token);
    }

    /** Builds an {@link AuditQuery}. */
    public static final class Builder {
        private final String namespace;
        private String user = "";
        private Instant since;
        private Instant until;
        private int pageSize;
        private String pageToken = "";

        private Builder(String namespace) {
            this.namespace = namespace;
        }

        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** Changes in [since, until). */
        public Builder between(Instant since, Instant until) {
            return since(since).until(until);
        }

        public Builder since(Instant since) {
            this.since = Objects.requireNonNull(since, "since");
            return this;
        }

        public Builder until(Instant until) {
            this.until = Objects.requireNonNull(until, "until");
            return this;
        }

        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        public Builder pageToken(String token) {
            this.pageToken = Objects.requireNonNull(token, "token");
            return this;
        }

        public AuditQuery build() {
            return new AuditQuery(namespace, user, Optional.ofNullable(since), Optional.ofNullable(until), pageSize, pageToken);
        }
    }
}
