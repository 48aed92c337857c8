package io.cairn.client.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A lookup of a service's instances: by default the healthy (UP) ones, read linearizably; it may
 * ask for every instance, filter by zone, tags and metadata, and be served by any member.
 *
 * <pre>{@code
 * InstanceQuery q = InstanceQuery.builder(ServiceKey.of("orders")).zone("eu-1").tags("v2").build();
 * }</pre>
 *
 * @param service      the service looked up
 * @param all          every instance, whatever its status (otherwise the UP ones, or all of them
 *                     while the service's protection threshold is crossed)
 * @param zone         only instances in this zone; empty for any
 * @param tags         only instances carrying every one of these tags
 * @param metadata     only instances whose metadata has each of these entries
 * @param serializable any member may answer from its own copy: faster, perhaps a little behind
 */
public record InstanceQuery(ServiceKey service, boolean all, String zone, List<String> tags, Map<String, String> metadata,
                            boolean serializable) {
    /** Copies the lists: the record is immutable. */
    public InstanceQuery {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(zone, "zone");
        tags = List.copyOf(tags);
        metadata = Map.copyOf(metadata);
    }

    public static Builder builder(ServiceKey service) {
        return new Builder(Objects.requireNonNull(service, "service"));
    }

    /** Builds an {@link InstanceQuery}. */
    public static final class Builder {
        private final ServiceKey service;
        private boolean all;
        private String zone = "";
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private boolean serializable;

        private Builder(ServiceKey service) {
            this.service = service;
        }

        /** Every instance, whatever its status. */
        public Builder all() {
            this.all = true;
            return this;
        }

        public Builder zone(String zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Instances carrying all of these tags. */
        public Builder tags(String... tags) {
            this.tags.addAll(List.of(tags));
            return this;
        }

        /** Instances whose metadata has this entry. */
        public Builder metadata(String key, String value) {
            this.metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Served by any member without asking the leader: may be a little behind. */
        public Builder serializable() {
            this.serializable = true;
            return this;
        }

        public InstanceQuery build() {
            return new InstanceQuery(service, all, zone, tags, metadata, serializable);
        }
    }
}
