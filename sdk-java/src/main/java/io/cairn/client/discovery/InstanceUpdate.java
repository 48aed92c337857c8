package io.cairn.client.discovery;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Changes to a registered instance, made without registering it again (its lease and
 * registration time stay): only what is set changes.
 *
 * <pre>{@code
 * discovery.update(key, InstanceUpdate.builder().status(InstanceStatus.OUT_OF_SERVICE).build());
 * }</pre>
 */
public final class InstanceUpdate {
    private final InstanceStatus status;
    private final Integer weight;
    private final List<String> tags;
    private final Map<String, String> metadata;

    private InstanceUpdate(Builder b) {
        this.status = b.status;
        this.weight = b.weight;
        this.tags = b.tags;
        this.metadata = b.metadata;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The new status, if it changes. */
    public Optional<InstanceStatus> status() {
        return Optional.ofNullable(status);
    }

    /** The new weight, if it changes. */
    public OptionalInt weight() {
        return weight == null ? OptionalInt.empty() : OptionalInt.of(weight);
    }

    /** The tags that replace the instance's, if they change. */
    public Optional<List<String>> tags() {
        return Optional.ofNullable(tags);
    }

    /** The metadata that replaces the instance's, if it changes. */
    public Optional<Map<String, String>> metadata() {
        return Optional.ofNullable(metadata);
    }

    /** Builds an {@link InstanceUpdate}. */
    public static final class Builder {
        private InstanceStatus status;
        private Integer weight;
        private List<String> tags;
        private Map<String, String> metadata;

        private Builder() {
        }

        public Builder status(InstanceStatus status) {
            this.status = status;
            return this;
        }

        /** 0 to 10000; 0 takes no traffic. */
        public Builder weight(int weight) {
            this.weight = Names.checkWeight(weight);
            return this;
        }

        /** Replaces every tag (an empty list removes them all). */
        public Builder tags(List<String> tags) {
            this.tags = List.copyOf(tags);
            return this;
        }

        /** Replaces all the metadata (an empty map removes it all). */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = Map.copyOf(metadata);
            return this;
        }

        /** @throws IllegalArgumentException when nothing is to change */
        public InstanceUpdate build() {
            if (status == null && weight == null && tags == null && metadata == null) {
                throw new IllegalArgumentException("an update changes at least one of status, weight, tags, metadata");
            }
            return new InstanceUpdate(this);
        }
    }
}
