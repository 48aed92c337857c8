package io.cairn.client;

import java.util.List;

/**
 * An answer that is a list: lease ids, user or role names, a user's roles, a role's
 * permissions.
 *
 * @param header the answering member's header
 * @param items  the list, in the server's order
 * @param <T>    what is listed
 */
public record Listing<T>(Header header, List<T> items) {
    /** Copies {@code items}: the record is immutable. */
    public Listing {
        items = List.copyOf(items);
    }
}
