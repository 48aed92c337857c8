package io.cairn.server.raft;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.cairn.server.errors.ServerError;

/** What a client is told when raft could not do what was asked. */
final class RaftErrors {
    private RaftErrors() {
    }

    /**
     * For a command this member accepted as leader. Losing leadership now is ambiguous — the
     * entry may still be committed by the next leader — so it is never reported as "not leader",
     * which clients may take as safe to retry.
     */
    static ServerError forProposal(Status status) {
        RaftError error = status.getRaftError();
        if (error == RaftError.EBUSY) {
            return ServerError.TOO_MANY_REQUESTS;
        }
        if (error == RaftError.ENODESHUTDOWN || error == RaftError.ESHUTDOWN) {
            return ServerError.STOPPED;
        }
        return ServerError.TIMEOUT_LEADER_FAIL;
    }

    /** For a read index: nothing was written, so every failure is safe to retry. */
    static ServerError forRead(Status status) {
        RaftError error = status.getRaftError();
        if (error == RaftError.ENODESHUTDOWN || error == RaftError.ESHUTDOWN) {
            return ServerError.STOPPED;
        }
        if (error == RaftError.ETIMEDOUT) {
            return ServerError.TIMEOUT;
        }
        return ServerError.NO_LEADER;
    }
}
