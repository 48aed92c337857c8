package io.cairn.client;

import io.cairn.api.etcd.AuthGrpc;
import io.cairn.api.etcd.AuthenticateRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How every unary call is made: with the client's deadline and auth token; retried after a
 * token refresh when the server says the token is bad or stale (the call was refused before
 * doing anything); and, for calls that may safely run twice, retried on another endpoint when
 * one is unavailable. A call that changes state is never retried after it may have reached a
 * server.
 */
final class Calls {
    static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private final Channel channel;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final String user;
    private final String password;
    private volatile CompletableFuture<String> token;

    /** @param raw the client's channel; calls go through it with the token added */
    Calls(Channel raw, ScheduledExecutorService timer, Duration timeout, String user, String password) {
        this.channel = io.grpc.ClientInterceptors.intercept(raw, tokens());
        this.timer = timer;
        this.timeout = timeout;
        this.user = user;
        this.password = password;
    }

    /** The channel with the token added, for streams. */
    Channel channel() {
        return channel;
    }

    Duration timeout() {
        return timeout;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Adds the current token (if any) to every call, streams included. */
    private ClientInterceptor tokens() {
        return new ClientInterceptor() {
            @Override
            public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<A> listener, Metadata headers) {
                        CompletableFuture<String> t = token;
                        boolean login = method.equals(AuthGrpc.getAuthenticateMethod());
                        if (!login && t != null && t.isDone() && !t.isCompletedExceptionally() && !t.join().isEmpty()) {
                            headers.put(TOKEN, t.join());
                        }
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /** A token, authenticating first if there is none yet (once for all waiting calls). */
    CompletableFuture<Void> ensureToken() {
        if (user == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<String> t = token;
        if (t == null || t.isCompletedExceptionally()) {
            synchronized (this) {
                if (token == t) {
                    token = authenticate();
                }
                t = token;
            }
        }
        return t.thenApply(ignored -> null);
    }

    private CompletableFuture<String> authenticate() {
        CompletableFuture<io.cairn.api.etcd.AuthenticateResponse> result = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(AuthGrpc.getAuthenticateMethod(), options()),
                AuthenticateRequest.newBuilder().setName(user).setPassword(password).build(), observer(result));
        return result.thenApply(io.cairn.api.etcd.AuthenticateResponse::getToken).exceptionallyCompose(e -> {
            // a server with auth disabled answers "authentication is not enabled": go on without a token
            CairnException failure = CairnException.of(e);
            return failure.getMessage().contains("authentication is not enabled")
                    ? CompletableFuture.completedFuture("") : CompletableFuture.<String>failedFuture(failure);
        });
    }

    /** The server refused the token a stream was opened with: authenticate again before reopening. */
    void tokenRefused() {
        refreshToken(token);
    }

    /**
     * A stream failed: when the server refused its token (streams are checked once, as they
     * open), authenticate again, so that the reopened stream carries a fresh one.
     */
    void streamFailed(Throwable t) {
        if (user != null && isTokenRefusal(String.valueOf(Status.fromThrowable(t).getDescription()))) {
            tokenRefused();
        }
    }

    /** Whether authenticating failed for wrong credentials, which trying again cannot change. */
    static boolean isCredentialsRefusal(Throwable failure) {
        return CairnException.of(failure).getMessage().contains("authentication failed");
    }

    static boolean isTokenRefusal(String reason) {
        return reason.contains("invalid auth token") || reason.contains("revision of auth store is old");
    }

    private void refreshToken(CompletableFuture<String> stale) {
        synchronized (this) {
            if (token == stale) {
                token = authenticate();
            }
        }
    }

    /** A deadline of the client's timeout from now, for a stream that should answer within it. */
    io.grpc.Deadline deadline() {
        return io.grpc.Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param idempotent whether running the call twice does no harm (reads); only those are
     *                   retried when a server is unavailable
     */
    <Q, A> CompletableFuture<A> unary(MethodDescriptor<Q, A> method, Q request, boolean idempotent) {
        return unary(method, request, idempotent, timeout);
    }

    /** With a time limit of its own, for calls that wait (a lock, a campaign). */
    <Q, A> CompletableFuture<A> unary(MethodDescriptor<Q, A> method, Q request, boolean idempotent, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        return ensureToken().thenCompose(ignored -> attempt(method, request, idempotent, deadline, 0, true));
    }

    private <Q, A> CompletableFuture<A> attempt(MethodDescriptor<Q, A> method, Q request, boolean idempotent,
                                               long deadline, int tries, boolean mayRefresh) {
        CompletableFuture<String> tokenUsed = token;
        CompletableFuture<A> once = new CompletableFuture<>();
        long left = Math.max(1, deadline - System.nanoTime());
        ClientCalls.asyncUnaryCall(channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(left, TimeUnit.NANOSECONDS)),
                request, observer(once));
        return once.exceptionallyCompose(e -> {
            Status status = e instanceof StatusRuntimeException s ? s.getStatus() : Status.fromThrowable(e);
            String why = String.valueOf(status.getDescription());
            if (mayRefresh && user != null && isTokenRefusal(why)) {
                refreshToken(tokenUsed);
                return ensureToken().thenCompose(x -> attempt(method, request, idempotent, deadline, tries, false));
            }
            long backoffMs = Math.min(1000, 50L << Math.min(tries, 5));
            boolean retry = idempotent && status.getCode() == Status.Code.UNAVAILABLE
                    && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) < deadline;
            if (!retry) {
                return CompletableFuture.failedFuture(CairnException.of(e));
            }
            CompletableFuture<A> later = new CompletableFuture<>();
            timer.schedule(() -> attempt(method, request, idempotent, deadline, tries + 1, mayRefresh)
                    .whenComplete((a, f) -> {
                        if (f != null) {
                            later.completeExceptionally(f);
                        } else {
                            later.complete(a);
                        }
                    }), backoffMs, TimeUnit.MILLISECONDS);
            return later;
        });
    }

    static <A> StreamObserver<A> observer(CompletableFuture<A> result) {
        return new StreamObserver<>() {
            @Override
            public void onNext(A value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    /** Waits for a call, as the sync() views do, turning its failure into a CairnException. */
    static <A> A await(CompletableFuture<A> future) {
        try {
            return future.join();
        } catch (RuntimeException e) {
            throw CairnException.of(e);
        }
    }
}
