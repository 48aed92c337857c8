package io.cairn.server.raft;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import io.cairn.server.command.ForwardRequest;
import io.cairn.server.command.ForwardResponse;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** On the leader: proposes what a follower forwarded and sends back the outcome. */
final class ForwardProcessor implements RpcProcessor<ForwardRequest> {
    private static final Logger log = LoggerFactory.getLogger(ForwardProcessor.class);

    private final RaftNode raft;

    ForwardProcessor(RaftNode raft) {
        this.raft = raft;
    }

    @Override
    public void handleRequest(RpcContext ctx, ForwardRequest request) {
        raft.proposeAsLeader(request.getCommand()).whenComplete((response, failure) -> {
            ForwardResponse.Builder out = ForwardResponse.newBuilder();
            if (failure == null) {
                try {
                    out.setResult(CommandResults.wrap(response));
                } catch (IllegalArgumentException e) {
                    // a bug (a response type CommandResult lacks), but the caller must still hear back
                    log.error("A forwarded command's response cannot be sent back: {}", e.getMessage());
                    out.setError(ServerError.STOPPED.name());
                }
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof ServerException e) {
                    out.setError(e.error().name()).setDetail(e.detail());
                } else {
                    log.error("Applying a forwarded command failed", cause);
                    out.setError(ServerError.STOPPED.name());
                }
            }
            ctx.sendResponse(out.build());
        });
    }

    @Override
    public String interest() {
        return ForwardRequest.class.getName();
    }
}
