package io.cairn.client;

/**
 * A lease granted.
 *
 * @param header the answering member's header
 * @param id  the lease's id, to attach keys with {@link Put#lease} and to keep it alive
 * @param ttl the seconds it lives without a renewal (the server may raise a small one)
 */
public record LeaseGrant(Header header, long id, long ttl) {
}
