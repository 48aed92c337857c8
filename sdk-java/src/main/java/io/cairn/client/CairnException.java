package io.cairn.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failed call: what kind of failure, and the server's message as etcd words it (for example
 * "etcdserver: permission denied", "etcdserver: requested lease not found"), which etcd's
 * clients and users match on.
 */
public sealed class CairnException extends RuntimeException permits ReviewRequiredException {
    /** The kinds of failure, as gRPC and etcd name them. */
    public enum Code {
        /** The call was cancelled, by the client or because the client was closed. */
        CANCELLED,
        /** A failure without a more precise kind, such as an etcd error carried in an answer. */
        UNKNOWN,
        /** The request was malformed: an empty key, a bad range, a value too large. */
        INVALID_ARGUMENT,
        /** The call took longer than its time limit. */
        DEADLINE_EXCEEDED,
        /** What the call names does not exist (etcd sends most of these as FAILED_PRECONDITION or UNKNOWN). */
        NOT_FOUND,
        /** What the call would create exists already. */
        ALREADY_EXISTS,
        /** The user may not do this: "etcdserver: permission denied". */
        PERMISSION_DENIED,
        /** A quota ran out: "etcdserver: mvcc: database space exceeded", too many requests. */
        RESOURCE_EXHAUSTED,
        /** The cluster's state forbids the call now: compacted revisions, no leader, auth not enabled. */
        FAILED_PRECONDITION,
        /** The call was cut short, for example a lock whose lease ended as it was taken. */
        ABORTED,
        /** A revision or size beyond what exists or is allowed: "mvcc: required revision is a future revision". */
        OUT_OF_RANGE,
        /** The server does not offer the call. */
        UNIMPLEMENTED,
        /** The server failed; a bug. */
        INTERNAL,
        /** No member could be reached, or none answered (a write may or may not have been applied). */
        UNAVAILABLE,
        /** Data was lost or corrupted. */
        DATA_LOSS,
        /** No valid credentials: "etcdserver: user name is empty", "etcdserver: invalid auth token". */
        UNAUTHENTICATED
    }

    private final Code code;

    CairnException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * The kind of failure: UNAVAILABLE when no member could be reached, DEADLINE_EXCEEDED when the
     * call took longer than the client's timeout, and for the server's refusals the gRPC code etcd
     * gives them (INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION, NOT_FOUND ...).
     */
    public Code code() {
        return code;
    }

    /** The failure behind a future or a gRPC call, as a CairnException. */
    static CairnException of(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CairnException e) {
            return e;
        }
        if (cause instanceof StatusRuntimeException e) {
            return of(e.getStatus(), e);
        }
        return new CairnException(Code.UNKNOWN, String.valueOf(cause.getMessage()), cause);
    }

    static CairnException of(Status status, Throwable cause) {
        Code code = status.getCode() == Status.Code.OK ? Code.UNKNOWN : Code.valueOf(status.getCode().name());
        return new CairnException(code, String.valueOf(status.getDescription()), cause);
    }
}
