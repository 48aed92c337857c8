package io.cairn.client.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which clients a gray release serves its candidate to. The rules are alternatives: a client
 * matches if it matches any rule given. A client's id and labels are set on
 * {@code Client.builder().clientId(...).labels(...)}.
 *
 * <pre>{@code
 * GrayRules canary = GrayRules.builder().label("zone", "eu-1").address("10.1.0.0/16").percent(5).build();
 * }</pre>
 *
 * @param labels    a client matches when it carries every one of these labels, with the same value
 * @param addresses exact addresses or CIDR blocks (10.0.0.0/8, ::1/128)
 * @param percent   0 (none) or 1 to 100: the clients whose id falls in this share, by a stable
 *                  hash of the config and the client id
 */
public record GrayRules(Map<String, String> labels, List<String> addresses, int percent) {
    /** Copies the collections: the record is immutable. */
    public GrayRules {
        labels = Map.copyOf(labels);
        addresses = List.copyOf(addresses);
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("a gray percentage is 0 to 100, not " + percent);
        }
    }

    /** The clients carrying all of these labels. */
    public static GrayRules labels(Map<String, String> labels) {
        return new GrayRules(labels, List.of(), 0);
    }

    /** The clients at these addresses or in these CIDR blocks. */
    public static GrayRules addresses(String... addresses) {
        return new GrayRules(Map.of(), List.of(addresses), 0);
    }

    /** This share of clients, chosen by a stable hash of their ids. */
    public static GrayRules percent(int percent) {
        return new GrayRules(Map.of(), List.of(), percent);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link GrayRules}. */
    public static final class Builder {
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<String> addresses = new ArrayList<>();
        private int percent;

        private Builder() {
        }

        public Builder label(String key, String value) {
            labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** An exact address or a CIDR block. */
        public Builder address(String address) {
            addresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        public Builder percent(int percent) {
            this.percent = percent;
            return this;
        }

        public GrayRules build() {
            return new GrayRules(labels, addresses, percent);
        }
    }
}
