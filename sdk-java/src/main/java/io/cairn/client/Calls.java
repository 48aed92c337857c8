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
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
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

    /**
     * What a server stream opened by {@link #serverStream} hands on. Each call names the stream
     * it is about, so that a caller that has replaced a stream can pass over the old one's.
     */
    interface StreamListener<Q, A> {
        /** Before the stream starts (so before any answer): the handle to compare with, and to cancel. */
        void opening(ClientCallStreamObserver<Q> stream);

        void next(ClientCallStreamObserver<Q> from, A answer);

        /** The stream failed, or the server ended it (then UNAVAILABLE, "{what} ended"). */
        void ended(ClientCallStreamObserver<Q> from, Throwable failure);
    }

    /** Opens a server stream with the current token and no deadline; {@code what} names it in the failure told when the server ends it. */
    <Q, A> void serverStream(MethodDescriptor<Q, A> method, Q request, String what, StreamListener<Q, A> listener) {
        ClientCalls.asyncServerStreamingCall(channel.newCall(method, CallOptions.DEFAULT), request, new ClientResponseObserver<Q, A>() {
            private ClientCallStreamObserver<Q> mine;

            @Override
            public void beforeStart(ClientCallStreamObserver<Q> stream) {
                mine = stream;
                listener.opening(stream);
            }

            @Override
            public void onNext(A answer) {
                listener.next(mine, answer);
            }

            @Override
            public void onError(Throwable t) {
                listener.ended(mine, t);
            }

            @Override
            public void onCompleted() {
                listener.ended(mine, Status.UNAVAILABLE.withDescription(what + " ended").asRuntimeException());
            }
        });
    }

    /**
     * Whether a stream's failure is a refusal that opening it again cannot change (a bad
     * request, no permission, a server without the service, wrong credentials), rather than a
     * member gone, no leader or a stale token.
     */
    static boolean isStreamRefusal(CairnException e) {
        return switch (e.code()) {
            case INVALID_ARGUMENT, PERMISSION_DENIED, UNIMPLEMENTED -> true;
            case UNAUTHENTICATED -> !isTokenRefusal(e.getMessage());
            default -> false;
        };
    }

    /** How long to wait before opening a broken stream again, after {@code failures} failures in a row: 100 ms doubling to 2 s. */
    static long reopenDelayMs(int failures) {
        return Math.min(2000, 100L << Math.min(failures, 5));
    }

    /**
     * Waits up to {@code timeout} for a view or subscription to be ready, as the sync() views do;
     * one that fails or is not ready in time is closed.
     *
     * @param what what was being read, for the message: "the instances of default/orders"
     */
    static <T> T awaitReady(CompletableFuture<T> ready, Duration timeout, AutoCloseable handle, String what) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            closeQuietly(handle);
            throw new CairnException(CairnException.Code.DEADLINE_EXCEEDED,
                    what + " could not be read within " + timeout.toMillis() + " ms", e);
        } catch (java.util.concurrent.ExecutionException e) {
            closeQuietly(handle);
            throw CairnException.of(e);
        } catch (InterruptedException e) {
            closeQuietly(handle);
            Thread.currentThread().interrupt();
            throw new CairnException(CairnException.Code.CANCELLED, "interrupted", e);
        }
    }

    private static void closeQuietly(AutoCloseable handle) {
        try {
            handle.close();
        } catch (Exception ignored) {
            // the SDK's handles throw nothing on close
        }
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
