package io.cairn.server.raft;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import io.cairn.server.command.LeaderAnswer;
import io.cairn.server.command.LeaderQuery;
import io.cairn.server.errors.ServerError;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Answers the questions followers ask the leader: lease renewals and time to live, forwarded
 * for their clients, which only the leader answers; a member's own id in the member table.
 */
final class LeaderQueryProcessor implements RpcProcessor<LeaderQuery> {
    private volatile Function<LeaderQuery, CompletableFuture<LeaderAnswer>> leases;
    private volatile Function<String, CompletableFuture<Long>> members;

    void leases(Function<LeaderQuery, CompletableFuture<LeaderAnswer>> handler) {
        this.leases = handler;
    }

    void members(Function<String, CompletableFuture<Long>> handler) {
        this.members = handler;
    }

    @Override
    public void handleRequest(RpcContext ctx, LeaderQuery query) {
        CompletableFuture<LeaderAnswer> answer = answer(query);
        if (answer == null) {
            ctx.sendResponse(LeaderAnswer.newBuilder().setError(ServerError.NOT_LEADER.name()).build());
            return;
        }
        answer.whenComplete((a, failure) -> ctx.sendResponse(failure == null ? a
                : LeaderAnswer.newBuilder().setError(ServerError.STOPPED.name()).build()));
    }

    /** The answer, or null while the member cannot answer yet (it is still starting). */
    private CompletableFuture<LeaderAnswer> answer(LeaderQuery query) {
        if (query.hasMemberPeerUrl()) {
            Function<String, CompletableFuture<Long>> h = members;
            return h == null ? null : h.apply(query.getMemberPeerUrl())
                    .thenApply(id -> LeaderAnswer.newBuilder().setMemberId(id).build());
        }
        Function<LeaderQuery, CompletableFuture<LeaderAnswer>> h = leases;
        return h == null ? null : h.apply(query);
    }

    @Override
    public String interest() {
        return LeaderQuery.class.getName();
    }
}
