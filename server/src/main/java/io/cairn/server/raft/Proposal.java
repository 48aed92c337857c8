package io.cairn.server.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.google.protobuf.Message;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.util.concurrent.CompletableFuture;

/**
 * A command proposed by this member, carried through raft with the caller's future. On the
 * proposing member the state machine reads the command from here instead of decoding it.
 */
final class Proposal implements Closure {
    private final Command command;
    private final CompletableFuture<Message> future = new CompletableFuture<>();
    private Object outcome;

    Proposal(Command command) {
        this.command = command;
    }

    Command command() {
        return command;
    }

    CompletableFuture<Message> future() {
        return future;
    }

    /** Records what applying the command gave: a response or a {@link ServerException}. */
    void setOutcome(Object outcome) {
        this.outcome = outcome;
    }

    @Override
    public void run(Status status) {
        if (!status.isOk()) {
            future.completeExceptionally(RaftErrors.forProposal(status).exception());
        } else if (outcome instanceof Message m) {
            future.complete(m);
        } else if (outcome instanceof ServerException e) {
            future.completeExceptionally(e);
        } else {
            future.completeExceptionally(ServerError.STOPPED.exception());
        }
    }
}
