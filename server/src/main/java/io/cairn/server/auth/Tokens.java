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

    /**
     * Makes a token issued through raft valid on this member and returns it: the proposal
     * {@link #issue} made, marked with the raft index of the entry that issued it. Apply thread.
     */
    String register(String user, String proposed, long raftIndex);

    /**
     * The raft index a token says it was issued at, or 0 when it says none (a signed token, or
     * not a token of ours): a member that has not applied that index yet cannot judge it.
     */
    long issuingIndex(String token);

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
