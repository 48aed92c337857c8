package io.cairn.client;

/**
 * A renewal answered.
 *
 * @param header the answering member's header
 * @param id     the lease renewed
 * @param ttl the lease's TTL after the renewal; 0 or less when the lease no longer exists
 */
public record KeepAliveReply(Header header, long id, long ttl) {
}
