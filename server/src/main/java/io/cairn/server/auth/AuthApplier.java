package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.etcd.AuthDisableResponse;
import io.cairn.api.etcd.AuthEnableResponse;
import io.cairn.api.etcd.AuthRoleAddResponse;
import io.cairn.api.etcd.AuthRoleDeleteResponse;
import io.cairn.api.etcd.AuthRoleGrantPermissionResponse;
import io.cairn.api.etcd.AuthRoleRevokePermissionResponse;
import io.cairn.api.etcd.AuthUserAddRequest;
import io.cairn.api.etcd.AuthUserAddResponse;
import io.cairn.api.etcd.AuthUserChangePasswordResponse;
import io.cairn.api.etcd.AuthUserDeleteResponse;
import io.cairn.api.etcd.AuthUserGrantRoleResponse;
import io.cairn.api.etcd.AuthUserRevokeRoleResponse;
import io.cairn.api.etcd.AuthenticateResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.apply.Applier;
import io.cairn.server.command.Command;
import io.cairn.server.command.IssueToken;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.util.Collection;
import java.util.function.LongFunction;

/**
 * The auth link of the apply chain: applies the auth commands, and refuses any command a
 * client caused that the auth state, as of this point in the log, does not allow.
 */
public final class AuthApplier implements Applier {
    private final AuthStore store;
    private final AccessPolicy policy;
    private final Tokens tokens;
    private final LongFunction<Collection<ByteString>> leaseKeys;
    private final Applier next;

    public AuthApplier(AuthStore store, Tokens tokens, LongFunction<Collection<ByteString>> leaseKeys, Applier next) {
        this.store = store;
        this.policy = new AccessPolicy(store);
        this.tokens = tokens;
        this.leaseKeys = leaseKeys;
        this.next = next;
    }

    @Override
    public Message apply(WriteBatch batch, Command command) {
        if (command.hasRequester()) {
            policy.checkCommand(command.getRequester().getUser(), command, leaseKeys);
        }
        ResponseHeader header = ResponseHeader.newBuilder().setRevision(batch.revision()).build();
        switch (command.getOpCase()) {
            case AUTH_ENABLE -> {
                store.enable(batch);
                return AuthEnableResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_DISABLE -> {
                store.disable(batch);
                return AuthDisableResponse.newBuilder().setHeader(header).build();
            }
            case ISSUE_TOKEN -> {
                // the password was checked off raft, against the auth state of that moment: a
                // user deleted or a password changed since must not get a token
                IssueToken issue = command.getIssueToken();
                if (store.state().revision() != issue.getAuthRevision()) {
                    throw ServerError.AUTH_OLD_REVISION.exception();
                }
                if (store.state().user(issue.getUser()) == null) {
                    throw ServerError.AUTH_FAILED.exception();
                }
                String token = tokens.register(issue.getUser(), issue.getToken(), batch.entryIndex());
                return AuthenticateResponse.newBuilder().setHeader(header).setToken(token).build();
            }
            case USER_ADD -> {
                AuthUserAddRequest r = command.getUserAdd();
                store.addUser(batch, r.getName(), r.getHashedPassword(), r.getOptions().getNoPassword());
                return AuthUserAddResponse.newBuilder().setHeader(header).build();
            }
            case USER_DELETE -> {
                store.deleteUser(batch, command.getUserDelete().getName());
                tokens.invalidate(command.getUserDelete().getName());
                return AuthUserDeleteResponse.newBuilder().setHeader(header).build();
            }
            case USER_CHANGE_PASSWORD -> {
                store.changePassword(batch, command.getUserChangePassword().getName(),
                        command.getUserChangePassword().getHashedPassword());
                tokens.invalidate(command.getUserChangePassword().getName());
                return AuthUserChangePasswordResponse.newBuilder().setHeader(header).build();
            }
            case USER_GRANT_ROLE -> {
                store.grantRole(batch, command.getUserGrantRole().getUser(), command.getUserGrantRole().getRole());
                return AuthUserGrantRoleResponse.newBuilder().setHeader(header).build();
            }
            case USER_REVOKE_ROLE -> {
                store.revokeRole(batch, command.getUserRevokeRole().getName(), command.getUserRevokeRole().getRole());
                return AuthUserRevokeRoleResponse.newBuilder().setHeader(header).build();
            }
            case ROLE_ADD -> {
                store.addRole(batch, command.getRoleAdd().getName());
                return AuthRoleAddResponse.newBuilder().setHeader(header).build();
            }
            case ROLE_DELETE -> {
                store.deleteRole(batch, command.getRoleDelete().getRole());
                return AuthRoleDeleteResponse.newBuilder().setHeader(header).build();
            }
            case ROLE_GRANT_PERMISSION -> {
                store.grantPermission(batch, command.getRoleGrantPermission().getName(),
                        command.getRoleGrantPermission().getPerm());
                return AuthRoleGrantPermissionResponse.newBuilder().setHeader(header).build();
            }
            case ROLE_REVOKE_PERMISSION -> {
                store.revokePermission(batch, command.getRoleRevokePermission().getRole(),
                        command.getRoleRevokePermission().getKey(), command.getRoleRevokePermission().getRangeEnd());
                return AuthRoleRevokePermissionResponse.newBuilder().setHeader(header).build();
            }
            default -> {
                return next.apply(batch, command);
            }
        }
    }
}
