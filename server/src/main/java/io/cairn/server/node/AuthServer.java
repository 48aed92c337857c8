package io.cairn.server.node;

import com.google.protobuf.Message;
import io.cairn.api.etcd.AuthDisableResponse;
import io.cairn.api.etcd.AuthEnableResponse;
import io.cairn.api.etcd.AuthRoleAddRequest;
import io.cairn.api.etcd.AuthRoleAddResponse;
import io.cairn.api.etcd.AuthRoleDeleteRequest;
import io.cairn.api.etcd.AuthRoleDeleteResponse;
import io.cairn.api.etcd.AuthRoleGetRequest;
import io.cairn.api.etcd.AuthRoleGetResponse;
import io.cairn.api.etcd.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcd.AuthRoleGrantPermissionResponse;
import io.cairn.api.etcd.AuthRoleListResponse;
import io.cairn.api.etcd.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcd.AuthRoleRevokePermissionResponse;
import io.cairn.api.etcd.AuthStatusResponse;
import io.cairn.api.etcd.AuthUserAddRequest;
import io.cairn.api.etcd.AuthUserAddResponse;
import io.cairn.api.etcd.AuthUserChangePasswordRequest;
import io.cairn.api.etcd.AuthUserChangePasswordResponse;
import io.cairn.api.etcd.AuthUserDeleteRequest;
import io.cairn.api.etcd.AuthUserDeleteResponse;
import io.cairn.api.etcd.AuthUserGetRequest;
import io.cairn.api.etcd.AuthUserGetResponse;
import io.cairn.api.etcd.AuthUserGrantRoleRequest;
import io.cairn.api.etcd.AuthUserGrantRoleResponse;
import io.cairn.api.etcd.AuthUserListResponse;
import io.cairn.api.etcd.AuthUserRevokeRoleRequest;
import io.cairn.api.etcd.AuthUserRevokeRoleResponse;
import io.cairn.api.etcd.AuthenticateRequest;
import io.cairn.api.etcd.AuthenticateResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.Role;
import io.cairn.api.etcd.User;
import io.cairn.server.auth.AccessPolicy;
import io.cairn.server.auth.AuthState;
import io.cairn.server.auth.AuthStore;
import io.cairn.server.auth.LoginThrottle;
import io.cairn.server.auth.Passwords;
import io.cairn.server.auth.Tokens;
import io.cairn.server.command.Command;
import io.cairn.server.command.IssueToken;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import io.cairn.server.raft.RaftNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * etcd's Auth service, transport-free, plus the identification of callers. Changes go through
 * raft with the caller as requester (apply checks it again); passwords are hashed here, so the
 * log never holds one in clear. Reads are served locally after a read index.
 */
public final class AuthServer {
    private final AuthStore store;
    private final AccessPolicy policy;
    private final AccessGate gate;
    private final Tokens tokens;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final RaftNode raft;
    private final Headers headers;
    private final Executor reads;

    AuthServer(AuthStore store, Tokens tokens, Passwords passwords, LoginThrottle throttle, RaftNode raft,
               Headers headers, Executor reads) {
        this.store = store;
        this.policy = new AccessPolicy(store);
        this.gate = new AccessGate(policy, raft);
        this.tokens = tokens;
        this.passwords = passwords;
        this.throttle = throttle;
        this.raft = raft;
        this.headers = headers;
        this.reads = reads;
    }

    public AccessPolicy policy() {
        return policy;
    }

    /** For the other services, which propose through the same gate. */
    AccessGate gate() {
        return gate;
    }

    /**
     * The user a call acts as: "" while auth is disabled or when the caller gave nothing; the
     * token's user; else the common name of a verified client certificate, as etcd does.
     */
    public String identify(String token, String certCommonName) {
        AuthState s = store.state();
        if (!s.enabled()) {
            return "";
        }
        if (token != null && !token.isEmpty()) {
            return resolve(token, s.revision());
        }
        return certCommonName == null ? "" : certCommonName;
    }

    /**
     * A simple token issued through another member can arrive here before this member applied
     * its issue (clients spread calls over members). Then, as etcd does, it waits — for a read
     * index, which its own deadline bounds — after which it has applied everything committed
     * before this call, the issue of any genuine token included. Blocks the calling thread.
     */
    private String resolve(String token, long authRevision) {
        // Read before the lookup: read after it, an issue applied in between would look as
        // if this member had applied it and still not known the token.
        long applied = raft.stateMachine().appliedIndex();
        try {
            return tokens.resolve(token, authRevision);
        } catch (ServerException e) {
            if (e.error() != ServerError.INVALID_AUTH_TOKEN || tokens.issuingIndex(token) <= applied) {
                throw e;
            }
        }
        try {
            raft.readIndex().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ServerException cause ? cause : ServerError.INVALID_AUTH_TOKEN.exception();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServerError.STOPPED.exception();
        }
        return tokens.resolve(token, store.state().revision());
    }

    /**
     * After a read index, so that a user or an enabling just made elsewhere is known here. An
     * issue refused because auth changed meanwhile is tried again, as etcd's Authenticate does,
     * so an unrelated change elsewhere never fails a login.
     */
    public CompletableFuture<AuthenticateResponse> authenticate(AuthenticateRequest r) {
        return authenticate(r, 3);
    }

    private CompletableFuture<AuthenticateResponse> authenticate(AuthenticateRequest r, int tries) {
        CompletableFuture<AuthenticateResponse> attempt =
                raft.readIndex().thenCompose(ignored -> checkPassword(r)).thenCompose(this::issue);
        if (tries <= 1) {
            return attempt;
        }
        return attempt.handle((ok, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            if (cause instanceof ServerException e && e.error() == ServerError.AUTH_OLD_REVISION) {
                return authenticate(r, tries - 1);
            }
            return failure == null ? CompletableFuture.completedFuture(ok) : CompletableFuture.<AuthenticateResponse>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /** A user whose password matched in the auth state at {@code authRevision}. */
    private record Checked(String user, long authRevision) {
    }

    private CompletableFuture<Checked> checkPassword(AuthenticateRequest r) {
        AuthState s = store.state();
        if (!s.enabled()) {
            throw ServerError.AUTH_NOT_ENABLED.exception();
        }
        String name = r.getName();
        return throttle.check(name, () -> {
            User user = s.user(name);
            if (user != null && user.getOptions().getNoPassword()) {
                throw ServerError.NO_PASSWORD_USER.exception();
            }
            if (!passwords.matches(user == null ? null : user.getPassword().toStringUtf8(), r.getPassword())) {
                throw ServerError.AUTH_FAILED.exception();
            }
            return new Checked(name, s.revision());
        });
    }

    /**
     * A simple token is issued by applying it, unless auth changed since the password was
     * checked; it is valid on this member once it applied the issue, hence the read index.
     */
    private CompletableFuture<AuthenticateResponse> issue(Checked checked) {
        String user = checked.user();
        String token = tokens.issue(user, checked.authRevision());
        if (!tokens.issuedThroughRaft()) {
            return CompletableFuture.completedFuture(headers.complete(AuthenticateResponse.newBuilder()
                    .setHeader(ResponseHeader.getDefaultInstance()).setToken(token).build()));
        }
        Command command = Command.newBuilder().setIssueToken(IssueToken.newBuilder()
                .setUser(user).setToken(token).setAuthRevision(checked.authRevision())).build();
        return raft.propose(command).thenCompose(applied -> raft.readIndex()
                .thenApply(ignored -> headers.complete((AuthenticateResponse) applied)));
    }

    public CompletableFuture<AuthEnableResponse> enable(String caller) {
        return propose(caller, Command.newBuilder().setAuthEnable(io.cairn.api.etcd.AuthEnableRequest.getDefaultInstance()),
                AuthEnableResponse.class);
    }

    public CompletableFuture<AuthDisableResponse> disable(String caller) {
        return propose(caller, Command.newBuilder().setAuthDisable(io.cairn.api.etcd.AuthDisableRequest.getDefaultInstance()),
                AuthDisableResponse.class);
    }

    public CompletableFuture<AuthStatusResponse> status() {
        return read(s -> AuthStatusResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance())
                .setEnabled(s.enabled()).setAuthRevision(s.revision()).build());
    }

    public CompletableFuture<AuthUserAddResponse> userAdd(String caller, AuthUserAddRequest r) {
        AuthUserAddRequest.Builder hashed = r.toBuilder().clearPassword();
        if (!r.getOptions().getNoPassword()) {
            hashed.setHashedPassword(hash(r.getPassword(), r.getHashedPassword()));
        }
        return propose(caller, Command.newBuilder().setUserAdd(hashed), AuthUserAddResponse.class);
    }

    public CompletableFuture<AuthUserChangePasswordResponse> userChangePassword(String caller,
                                                                                AuthUserChangePasswordRequest r) {
        AuthUserChangePasswordRequest hashed = r.toBuilder().clearPassword()
                .setHashedPassword(hash(r.getPassword(), r.getHashedPassword())).build();
        return propose(caller, Command.newBuilder().setUserChangePassword(hashed), AuthUserChangePasswordResponse.class);
    }

    /** etcd 3.5 clients may send a bcrypt hash instead of the password. */
    private String hash(String password, String alreadyHashed) {
        if (password.isEmpty() && alreadyHashed.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            return alreadyHashed;
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Passwords.MAX_BYTES) {
            throw ServerError.REQUEST_TOO_LARGE.exception();
        }
        return passwords.hash(password);
    }

    public CompletableFuture<AuthUserGetResponse> userGet(String caller, AuthUserGetRequest r) {
        return read(s -> {
            policy.requireSelfOrAdmin(caller, r.getName());
            User user = s.user(r.getName());
            if (user == null) {
                throw ServerError.USER_NOT_FOUND.exception();
            }
            return AuthUserGetResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance())
                    .addAllRoles(user.getRolesList()).build();
        });
    }

    public CompletableFuture<AuthUserListResponse> userList() {
        return read(s -> AuthUserListResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance())
                .addAllUsers(s.users().keySet()).build());
    }

    public CompletableFuture<AuthUserDeleteResponse> userDelete(String caller, AuthUserDeleteRequest r) {
        return propose(caller, Command.newBuilder().setUserDelete(r), AuthUserDeleteResponse.class);
    }

    public CompletableFuture<AuthUserGrantRoleResponse> userGrantRole(String caller, AuthUserGrantRoleRequest r) {
        return propose(caller, Command.newBuilder().setUserGrantRole(r), AuthUserGrantRoleResponse.class);
    }

    public CompletableFuture<AuthUserRevokeRoleResponse> userRevokeRole(String caller, AuthUserRevokeRoleRequest r) {
        return propose(caller, Command.newBuilder().setUserRevokeRole(r), AuthUserRevokeRoleResponse.class);
    }

    public CompletableFuture<AuthRoleAddResponse> roleAdd(String caller, AuthRoleAddRequest r) {
        return propose(caller, Command.newBuilder().setRoleAdd(r), AuthRoleAddResponse.class);
    }

    public CompletableFuture<AuthRoleGetResponse> roleGet(String caller, AuthRoleGetRequest r) {
        return read(s -> {
            policy.requireRoleHolderOrAdmin(caller, r.getRole());
            Role role = s.role(r.getRole());
            if (role == null) {
                throw ServerError.ROLE_NOT_FOUND.exception();
            }
            return AuthRoleGetResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance())
                    .addAllPerm(role.getKeyPermissionList()).build();
        });
    }

    public CompletableFuture<AuthRoleListResponse> roleList() {
        return read(s -> AuthRoleListResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance())
                .addAllRoles(s.roles().keySet()).build());
    }

    public CompletableFuture<AuthRoleDeleteResponse> roleDelete(String caller, AuthRoleDeleteRequest r) {
        return propose(caller, Command.newBuilder().setRoleDelete(r), AuthRoleDeleteResponse.class);
    }

    public CompletableFuture<AuthRoleGrantPermissionResponse> roleGrantPermission(String caller,
                                                                                  AuthRoleGrantPermissionRequest r) {
        if (!r.hasPerm()) {
            throw ServerError.PERMISSION_NOT_GRANTED.exception();
        }
        io.cairn.server.apply.RequestChecks.requireKnown(r.getPerm().getPermType());
        return propose(caller, Command.newBuilder().setRoleGrantPermission(r), AuthRoleGrantPermissionResponse.class);
    }

    public CompletableFuture<AuthRoleRevokePermissionResponse> roleRevokePermission(String caller,
                                                                                    AuthRoleRevokePermissionRequest r) {
        return propose(caller, Command.newBuilder().setRoleRevokePermission(r), AuthRoleRevokePermissionResponse.class);
    }

    private <T extends Message> CompletableFuture<T> read(Function<AuthState, T> body) {
        return raft.readIndex().thenApplyAsync(ignored -> headers.complete(body.apply(store.state())), reads);
    }

    /** Checked here for a quick answer, and again where it is applied. */
    private <T extends Message> CompletableFuture<T> propose(String caller, Command.Builder command, Class<T> type) {
        return gate.propose(caller, command).thenApply(m -> headers.complete(type.cast(m)));
    }
}
