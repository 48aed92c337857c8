package io.cairn.server.auth;

/**
 * Where auth tokens come from and how they are checked: etcd's simple tokens, which every
 * member learns by applying the authentication, or signed JWTs, which any member can verify.
 */
public interface Tokens {
    /** Whether a token must be issued through raft (then see {@link #register}). */
    boolean issuedThroughRaft();

    /** A new token for {@code user}: for simple tokens only a proposal, valid once registered. */
    String issue(String user, long authRevision);

    /** Makes a token issued through raft valid on this member. Apply thread. */
    void register(String user, String token);

    /** Forgets every token of a user whose password changed or who was deleted. Apply thread. */
    void invalidate(String user);

    /**
     * The user a token names.
     *
     * @throws io.cairn.server.errors.ServerException INVALID_AUTH_TOKEN for an unknown or expired
     *         token, AUTH_OLD_REVISION for a signed token older than the auth state
     */
    String resolve(String token, long authRevision);
}
