package io.cairn.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** A failed call: the server's status code and its message, e.g. "etcdserver: permission denied". */
public final class CairnException extends RuntimeException {
    private final Status.Code code;

    public CairnException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Status.Code code() {
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
            return new CairnException(e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription()), e);
        }
        return new CairnException(Status.Code.UNKNOWN, String.valueOf(cause.getMessage()), cause);
    }
}
