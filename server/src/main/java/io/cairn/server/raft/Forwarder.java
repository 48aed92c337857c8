package io.cairn.server.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RemotingException;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import com.google.protobuf.Message;
import io.cairn.server.command.Command;
import io.cairn.server.command.ForwardRequest;
import io.cairn.server.command.ForwardResponse;
import io.cairn.server.command.LeaderAnswer;
import io.cairn.server.command.LeaderQuery;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * On a follower: hands a command to the leader. Retries only where nothing can have been
 * written — no leader known yet, the leader could not be connected to, or it answered that it
 * is no longer leader before appending — until a deadline of a few election timeouts.
 */
final class Forwarder implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Forwarder.class);
    private static final long RETRY_DELAY_MS = 50;
    /** How long a member other than the leader is given to answer before the next is asked. */
    private static final long MEMBER_ANSWER_MS = 1000;

    private final Node node;
    private final RpcClient client;
    private final long deadlineMs;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-forward-retry");
        t.setDaemon(true);
        return t;
    });

    Forwarder(Node node, int electionTimeoutMs) {
        this.node = node;
        this.client = RpcFactoryHelper.rpcFactory().createRpcClient();
        this.client.init(new RpcOptions());
        this.deadlineMs = 3L * electionTimeoutMs + 1000;
    }

    /**
     * Runs {@code retry} after the retry delay, on the retry thread; once this forwarder is closed,
     * fails {@code result} with STOPPED instead. It never throws: it is called from JRaft's own
     * threads, where an exception can keep JRaft from shutting down (its read-only service counts
     * its shutdown latch down only after the batch of read requests it came with).
     */
    void schedule(Runnable retry, CompletableFuture<?> result) {
        try {
            retries.schedule(retry, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            result.completeExceptionally(ServerError.STOPPED.exception());
        }
    }

    CompletableFuture<Message> forward(Command command) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        attempt(ForwardRequest.newBuilder().setCommand(command).build(), result,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs));
        return result;
    }

    private void attempt(ForwardRequest request, CompletableFuture<Message> result, long deadline) {
        PeerId leader = node.getLeaderId();
        if (leader == null || leader.isEmpty()) {
            retryOrFail(request, result, deadline, ServerError.NO_LEADER);
            return;
        }
        long timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            client.invokeAsync(leader.getEndpoint(), request, (response, failure) -> {
                if (failure != null) {
                    log.debug("Forwarding to the leader at {} failed: {}", leader, failure.toString());
                    // sent, but no answer: it may have been applied
                    result.completeExceptionally(ServerError.UNREACHABLE_LEADER.exception());
                    return;
                }
                ForwardResponse r = (ForwardResponse) response;
                if (r.getError().isEmpty()) {
                    result.complete(CommandResults.unwrap(r.getResult()));
                } else if (r.getError().equals(ServerError.NOT_LEADER.name())) {
                    retryOrFail(request, result, deadline, ServerError.NO_LEADER);
                } else {
                    result.completeExceptionally(ServerException.of(ServerError.valueOf(r.getError()), r.getDetail()));
                }
            }, timeoutMs);
        } catch (RemotingException e) {
            retryOrFail(request, result, deadline, ServerError.UNREACHABLE_LEADER); // not sent
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(ServerError.STOPPED.exception());
        }
    }

    /**
     * Asks the leader a question. Each (a renewal, a time to live, a member's id) is safe to
     * repeat, so any failure is retried until the deadline.
     */
    CompletableFuture<LeaderAnswer> ask(LeaderQuery query) {
        return ask(query, List::of);
    }

    /**
     * Asks the leader a question any member can answer as well, or, while no leader is known
     * here, {@code members} in turn: a member the leader no longer sends to never learns of one.
     */
    CompletableFuture<LeaderAnswer> ask(LeaderQuery query, Supplier<List<PeerId>> members) {
        CompletableFuture<LeaderAnswer> result = new CompletableFuture<>();
        ask(query, members, 0, result, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs));
        return result;
    }

    private void ask(LeaderQuery query, Supplier<List<PeerId>> members, int attempt,
                     CompletableFuture<LeaderAnswer> result, long deadline) {
        PeerId target = node.getLeaderId();
        long timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (target == null || target.isEmpty()) {
            List<PeerId> others = members.get();
            target = others.isEmpty() ? null : others.get(attempt % others.size());
            timeoutMs = Math.min(timeoutMs, MEMBER_ANSWER_MS); // a paused member must not hold up the others
        }
        Runnable retry = () -> {
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS) > deadline) {
                result.completeExceptionally(ServerError.NO_LEADER.exception());
            } else {
                schedule(() -> ask(query, members, attempt + 1, result, deadline), result);
            }
        };
        if (target == null) {
            retry.run();
            return;
        }
        try {
            client.invokeAsync(target.getEndpoint(), query, (response, failure) -> {
                LeaderAnswer answer = (LeaderAnswer) response;
                if (failure != null || answer.getError().equals(ServerError.NOT_LEADER.name())) {
                    retry.run();
                } else if (!answer.getError().isEmpty()) {
                    result.completeExceptionally(ServerError.valueOf(answer.getError()).exception());
                } else {
                    result.complete(answer);
                }
            }, timeoutMs);
        } catch (RemotingException e) {
            retry.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(ServerError.STOPPED.exception());
        }
    }

    private void retryOrFail(ForwardRequest request, CompletableFuture<Message> result, long deadline, ServerError error) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS) > deadline) {
            result.completeExceptionally(error.exception());
            return;
        }
        schedule(() -> attempt(request, result, deadline), result);
    }

    @Override
    public void close() {
        retries.shutdownNow();
        client.shutdown();
    }
}
