package io.cairn.server.raft;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import io.cairn.server.command.LeaseAnswer;
import io.cairn.server.command.LeaseQuery;
import io.cairn.server.errors.ServerError;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** On the leader: answers the lease questions followers forward (renewals, time to live). */
final class LeaseQueryProcessor implements RpcProcessor<LeaseQuery> {
    private volatile Function<LeaseQuery, CompletableFuture<LeaseAnswer>> handler;

    void handler(Function<LeaseQuery, CompletableFuture<LeaseAnswer>> handler) {
        this.handler = handler;
    }

    @Override
    public void handleRequest(RpcContext ctx, LeaseQuery query) {
        Function<LeaseQuery, CompletableFuture<LeaseAnswer>> h = handler;
        if (h == null) {
            ctx.sendResponse(LeaseAnswer.newBuilder().setError(ServerError.NOT_LEADER.name()).build());
            return;
        }
        h.apply(query).whenComplete((answer, failure) -> ctx.sendResponse(failure == null ? answer
                : LeaseAnswer.newBuilder().setError(ServerError.STOPPED.name()).build()));
    }

    @Override
    public String interest() {
        return LeaseQuery.class.getName();
    }
}
