package io.cairn.client.config;

import java.util.List;

/**
 * One page of configs (a listing) or of one config's versions (its history, newest first).
 *
 * @param configs       this page's configs or versions
 * @param nextPageToken where the next page starts; empty on the last page
 */
public record ConfigPage(List<Config> configs, String nextPageToken) {
    /** Copies the list: the record is immutable. */
    public ConfigPage {
        configs = List.copyOf(configs);
    }

    /** Whether a next page follows. */
    public boolean hasMore() {
        return !nextPageToken.isEmpty();
    }
}
