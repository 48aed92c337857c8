package io.cairn.client.discovery;

import io.cairn.client.Header;
import java.util.List;

/**
 * One page of a namespace's services, in name order.
 *
 * @param header        the answering member's header
 * @param services      this page's services
 * @param nextPageToken where the next page starts; empty on the last page
 */
public record ServicePage(Header header, List<ServiceSummary> services, String nextPageToken) {
    /** Copies the list: the record is immutable. */
    public ServicePage {
        services = List.copyOf(services);
    }

    /** Whether a next page follows. */
    public boolean hasMore() {
        return !nextPageToken.isEmpty();
    }
}
