package io.cairn.server.api;

import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one table from server errors to gRPC status codes, as etcd's rpctypes maps them. */
final class GrpcErrors {
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);
    private static final Map<ServerError, Status.Code> CODES = new EnumMap<>(ServerError.class);

    static {
        CODES.put(ServerError.EMPTY_KEY, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.KEY_NOT_FOUND, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.VALUE_PROVIDED, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.LEASE_PROVIDED, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.TOO_MANY_OPS, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.DUPLICATE_KEY, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.REQUEST_TOO_LARGE, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.COMPACTED, Status.Code.OUT_OF_RANGE);
        CODES.put(ServerError.FUTURE_REV, Status.Code.OUT_OF_RANGE);
        CODES.put(ServerError.NO_SPACE, Status.Code.RESOURCE_EXHAUSTED);
        CODES.put(ServerError.LEASE_NOT_FOUND, Status.Code.NOT_FOUND);
        CODES.put(ServerError.LEASE_EXIST, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.LEASE_TTL_TOO_LARGE, Status.Code.OUT_OF_RANGE);
        CODES.put(ServerError.NOT_LEADER, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.NO_LEADER, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.TIMEOUT, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.TIMEOUT_LEADER_FAIL, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.UNREACHABLE_LEADER, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.TOO_MANY_REQUESTS, Status.Code.RESOURCE_EXHAUSTED);
        CODES.put(ServerError.STOPPED, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.CORRUPT, Status.Code.DATA_LOSS);
        CODES.put(ServerError.MEMBER_EXIST, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.PEER_URL_EXIST, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.MEMBER_NOT_FOUND, Status.Code.NOT_FOUND);
        CODES.put(ServerError.MEMBER_BAD_URLS, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.MEMBER_NOT_LEARNER, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.UNHEALTHY, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.LEARNER_NOT_READY, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.NOT_ENOUGH_STARTED_MEMBERS, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.RECONFIGURATION_UNDER_WAY, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.NOT_SUPPORTED_FOR_LEARNER, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.BAD_LEADER_TRANSFEREE, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.LEADER_TRANSFER_TIMEOUT, Status.Code.UNAVAILABLE);
        CODES.put(ServerError.ROOT_USER_NOT_EXIST, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.ROOT_ROLE_NOT_EXIST, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.USER_ALREADY_EXIST, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.USER_EMPTY, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.USER_NOT_FOUND, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.ROLE_ALREADY_EXIST, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.ROLE_NOT_FOUND, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.ROLE_EMPTY, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.AUTH_FAILED, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.NO_PASSWORD_USER, Status.Code.UNKNOWN);
        CODES.put(ServerError.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED);
        CODES.put(ServerError.ROLE_NOT_GRANTED, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.PERMISSION_NOT_GRANTED, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.AUTH_NOT_ENABLED, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.INVALID_AUTH_TOKEN, Status.Code.UNAUTHENTICATED);
        CODES.put(ServerError.INVALID_AUTH_MGMT, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.AUTH_OLD_REVISION, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.UNKNOWN_ENUM, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.REGISTRY_INVALID, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.REGISTRY_NOT_FOUND, Status.Code.NOT_FOUND);
        CODES.put(ServerError.REGISTRY_CONFLICT, Status.Code.ABORTED);
        CODES.put(ServerError.CONFIG_INVALID, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.CONFIG_BAD_CONTENT, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.CONFIG_SCHEMA_VIOLATION, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.CONFIG_TOO_LARGE, Status.Code.INVALID_ARGUMENT);
        CODES.put(ServerError.CONFIG_NOT_FOUND, Status.Code.NOT_FOUND);
        CODES.put(ServerError.CONFIG_VERSION_CONFLICT, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.CONFIG_NAMESPACE_NOT_FOUND, Status.Code.NOT_FOUND);
        CODES.put(ServerError.CONFIG_NAMESPACE_EXISTS, Status.Code.ALREADY_EXISTS);
        CODES.put(ServerError.CONFIG_NAMESPACE_NOT_EMPTY, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.CONFIG_NO_GRAY, Status.Code.NOT_FOUND);
        CODES.put(ServerError.CONFIG_DRAFT_NOT_FOUND, Status.Code.NOT_FOUND);
        CODES.put(ServerError.CONFIG_REVIEW_REFUSED, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.CONFIG_SECRETS_UNAVAILABLE, Status.Code.FAILED_PRECONDITION);
        CODES.put(ServerError.APPLY_FAILED, Status.Code.INTERNAL);
        CODES.put(ServerError.ELECTION_NOT_LEADER, Status.Code.UNKNOWN);
        CODES.put(ServerError.ELECTION_NO_LEADER, Status.Code.UNKNOWN);
        CODES.put(ServerError.ELECTION_MISSING_LEADER, Status.Code.UNKNOWN);
        CODES.put(ServerError.LOCK_SESSION_EXPIRED, Status.Code.UNKNOWN);
    }

    private GrpcErrors() {
    }

    /** An error as Go's gRPC prints it, which etcd puts in a refused watch's cancel reason. */
    static String goText(ServerException e) {
        return "rpc error: code = " + goName(CODES.get(e.error())) + " desc = " + e.getMessage();
    }

    /** A status code as Go prints it: "OK", "InvalidArgument", "PermissionDenied". */
    static String goName(Status.Code code) {
        if (code == Status.Code.OK) {
            return "OK";
        }
        StringBuilder name = new StringBuilder();
        for (String word : code.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase());
        }
        return name.toString();
    }

    static StatusRuntimeException toStatus(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ServerException e) {
            return Status.fromCode(CODES.get(e.error())).withDescription(e.getMessage()).asRuntimeException();
        }
        if (cause instanceof StatusRuntimeException e) {
            return e;
        }
        if (cause instanceof CancellationException) {
            // the caller went away (or the member is stopping) while it waited, e.g. for a lock
            return Status.CANCELLED.withDescription("the call was cancelled").asRuntimeException();
        }
        log.error("Unexpected failure serving a request", cause);
        return Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())).asRuntimeException();
    }
}
