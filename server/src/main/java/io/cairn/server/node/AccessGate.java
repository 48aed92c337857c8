package io.cairn.server.node;

import com.google.protobuf.Message;
import io.cairn.server.auth.AccessPolicy;
import io.cairn.server.command.Command;
import io.cairn.server.command.Requester;
import io.cairn.server.errors.ServerException;
import io.cairn.server.raft.RaftNode;
import java.util.concurrent.CompletableFuture;

/**
 * Proposes a client's command after checking it against this member's auth state. That state
 * may lag the leader's (a grant just made elsewhere), so a refusal is only given after a read
 * index brought this member up to date and the check still fails. Apply checks again anyway.
 */
final class AccessGate {
    private final AccessPolicy policy;
    private final RaftNode raft;

    AccessGate(AccessPolicy policy, RaftNode raft) {
        this.policy = policy;
        this.raft = raft;
    }

    AccessPolicy policy() {
        return policy;
    }

    /** {@code command} with {@code user} as its requester, proposed once the check passes. */
    CompletableFuture<Message> propose(String user, Command.Builder command) {
        return propose(user, stamp(user, command));
    }

    /** A command a client caused, as apply will see it: with its requester. */
    static Command stamp(String user, Command.Builder command) {
        return command.setRequester(Requester.newBuilder().setUser(user)).build();
    }

    /** Proposes a command made by {@link #stamp} once the check passes. */
    CompletableFuture<Message> propose(String user, Command c) {
        return confirm(() -> policy.checkCommand(user, c, null)).thenCompose(ignored -> raft.propose(c));
    }

    /** Completes when {@code check} passes, now or after catching up; fails with its error otherwise. */
    CompletableFuture<Void> confirm(Runnable check) {
        try {
            check.run();
            return CompletableFuture.completedFuture(null);
        } catch (ServerException e) {
            return raft.readIndex().thenRun(check);
        }
    }
}
