package io.cairn.client.config;

import java.util.List;

/**
 * One page of audit records, newest first.
 *
 * @param records       this page's records
 * @param nextPageToken where the next page starts; empty on the last page
 */
public record AuditPage(List<AuditRecord> records, String nextPageToken) {
    /** Copies the list: the record is immutable. */
    public AuditPage {
        records = List.copyOf(records);
    }

    /** Whether a next page follows. */
    public boolean hasMore() {
        return !nextPageToken.isEmpty();
    }
}
