package io.cairn.client;

import java.util.List;

/**
 * @param succeeded whether every condition held, so the "then" branch ran (else "otherwise")
 * @param responses the answers of the branch that ran, one per operation, in order
 */
public record TxnResponse(Header header, boolean succeeded, List<OpResponse> responses) implements OpResponse {
    /** Copies {@code responses}: the record is immutable. */
    public TxnResponse {
        responses = List.copyOf(responses);
    }
}
