package io.cairn.client.config;

import java.util.Objects;

/**
 * A listing of a namespace's current configs (deleted ones left out), in (group, data id)
 * order, filtered: list and search in one.
 *
 * <pre>{@code
 * ConfigQuery q = ConfigQuery.builder("prod").group("orders").dataIdPattern("*.yaml").contentContains("pool").build();
 * }</pre>
 *
 * @param namespace       the namespace
 * @param group           only this group; empty for any
 * @param dataIdPattern   only data ids matching this, where {@code *} matches any run of characters; empty for any
 * @param contentContains only configs whose content contains this; empty for any
 * @param pageSize        at most this many (0: the server's default and maximum, 500)
 * @param pageToken       empty for the first page, then the previous page's {@link ConfigPage#nextPageToken()}
 * @param withContent     whether each config comes with its content
 */
public record ConfigQuery(String namespace, String group, String dataIdPattern, String contentContains, int pageSize,
                          String pageToken, boolean withContent) {
    public ConfigQuery {
        ConfigKey.checkName("namespace", namespace);
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(dataIdPattern, "dataIdPattern");
        Objects.requireNonNull(contentContains, "contentContains");
        Objects.requireNonNull(pageToken, "pageToken");
        if (pageSize < 0) {
            throw new IllegalArgumentException("page size " + pageSize + " is negative");
        }
    }

    /** Every config of the namespace, without content, one page of the server's default size. */
    public static Builder builder(String namespace) {
        return new Builder(namespace);
    }

    /** The same query from another page on. */
    public ConfigQuery page(String token) {
        return new ConfigQuery(namespace, group, dataIdPattern, contentContains, pageSize, token, withContent);
    }

    /** Builds a {@link ConfigQuery}. */
    public static final class Builder {
        private final String namespace;
        private String group = "";
        private String dataIdPattern = "";
        private String contentContains = "";
        private int pageSize;
        private String pageToken = "";
        private boolean withContent;

        private Builder(String namespace) {
            this.namespace = namespace;
        }

        public Builder group(String group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** {@code *} matches any run of characters: "orders-*.yaml". */
        public Builder dataIdPattern(String pattern) {
            this.dataIdPattern = Objects.requireNonNull(pattern, "pattern");
            return this;
        }

        public Builder contentContains(String text) {
            this.contentContains = Objects.requireNonNull(text, "text");
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

        public Builder withContent() {
            this.withContent = true;
            return this;
        }

        public ConfigQuery build() {
            return new ConfigQuery(namespace, group, dataIdPattern, contentContains, pageSize, pageToken, withContent);
        }
    }
}
