package io.cairn.server.api;

import io.cairn.api.etcd.AuthDisableRequest;
import io.cairn.api.etcd.AuthDisableResponse;
import io.cairn.api.etcd.AuthEnableRequest;
import io.cairn.api.etcd.AuthEnableResponse;
import io.cairn.api.etcd.AuthGrpc;
import io.cairn.api.etcd.AuthRoleAddRequest;
import io.cairn.api.etcd.AuthRoleAddResponse;
import io.cairn.api.etcd.AuthRoleDeleteRequest;
import io.cairn.api.etcd.AuthRoleDeleteResponse;
import io.cairn.api.etcd.AuthRoleGetRequest;
import io.cairn.api.etcd.AuthRoleGetResponse;
import io.cairn.api.etcd.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcd.AuthRoleGrantPermissionResponse;
import io.cairn.api.etcd.AuthRoleListRequest;
import io.cairn.api.etcd.AuthRoleListResponse;
import io.cairn.api.etcd.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcd.AuthRoleRevokePermissionResponse;
import io.cairn.api.etcd.AuthStatusRequest;
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
import io.cairn.api.etcd.AuthUserListRequest;
import io.cairn.api.etcd.AuthUserListResponse;
import io.cairn.api.etcd.AuthUserRevokeRoleRequest;
import io.cairn.api.etcd.AuthUserRevokeRoleResponse;
import io.cairn.api.etcd.AuthenticateRequest;
import io.cairn.api.etcd.AuthenticateResponse;
import io.cairn.server.node.AuthServer;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.Auth over gRPC. */
public final class AuthGrpcService extends AuthGrpc.AuthImplBase {
    private final AuthServer auth;

    public AuthGrpcService(AuthServer auth) {
        this.auth = auth;
    }

    @Override
    public void authEnable(AuthEnableRequest request, StreamObserver<AuthEnableResponse> observer) {
        Replies.reply(() -> auth.enable(Callers.user()), observer);
    }

    @Override
    public void authDisable(AuthDisableRequest request, StreamObserver<AuthDisableResponse> observer) {
        Replies.reply(() -> auth.disable(Callers.user()), observer);
    }

    @Override
    public void authStatus(AuthStatusRequest request, StreamObserver<AuthStatusResponse> observer) {
        Replies.reply(() -> auth.status(), observer);
    }

    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> observer) {
        Replies.reply(() -> auth.authenticate(request), observer);
    }

    @Override
    public void userAdd(AuthUserAddRequest request, StreamObserver<AuthUserAddResponse> observer) {
        Replies.reply(() -> auth.userAdd(Callers.user(), request), observer);
    }

    @Override
    public void userGet(AuthUserGetRequest request, StreamObserver<AuthUserGetResponse> observer) {
        Replies.reply(() -> auth.userGet(Callers.user(), request), observer);
    }

    @Override
    public void userList(AuthUserListRequest request, StreamObserver<AuthUserListResponse> observer) {
        Replies.reply(() -> auth.userList(), observer);
    }

    @Override
    public void userDelete(AuthUserDeleteRequest request, StreamObserver<AuthUserDeleteResponse> observer) {
        Replies.reply(() -> auth.userDelete(Callers.user(), request), observer);
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordRequest request, StreamObserver<AuthUserChangePasswordResponse> observer) {
        Replies.reply(() -> auth.userChangePassword(Callers.user(), request), observer);
    }

    @Override
    public void userGrantRole(AuthUserGrantRoleRequest request, StreamObserver<AuthUserGrantRoleResponse> observer) {
        Replies.reply(() -> auth.userGrantRole(Callers.user(), request), observer);
    }

    @Override
    public void userRevokeRole(AuthUserRevokeRoleRequest request, StreamObserver<AuthUserRevokeRoleResponse> observer) {
        Replies.reply(() -> auth.userRevokeRole(Callers.user(), request), observer);
    }

    @Override
    public void roleAdd(AuthRoleAddRequest request, StreamObserver<AuthRoleAddResponse> observer) {
        Replies.reply(() -> auth.roleAdd(Callers.user(), request), observer);
    }

    @Override
    public void roleGet(AuthRoleGetRequest request, StreamObserver<AuthRoleGetResponse> observer) {
        Replies.reply(() -> auth.roleGet(Callers.user(), request), observer);
    }

    @Override
    public void roleList(AuthRoleListRequest request, StreamObserver<AuthRoleListResponse> observer) {
        Replies.reply(() -> auth.roleList(), observer);
    }

    @Override
    public void roleDelete(AuthRoleDeleteRequest request, StreamObserver<AuthRoleDeleteResponse> observer) {
        Replies.reply(() -> auth.roleDelete(Callers.user(), request), observer);
    }

    @Override
    public void roleGrantPermission(AuthRoleGrantPermissionRequest request, StreamObserver<AuthRoleGrantPermissionResponse> observer) {
        Replies.reply(() -> auth.roleGrantPermission(Callers.user(), request), observer);
    }

    @Override
    public void roleRevokePermission(AuthRoleRevokePermissionRequest request, StreamObserver<AuthRoleRevokePermissionResponse> observer) {
        Replies.reply(() -> auth.roleRevokePermission(Callers.user(), request), observer);
    }
}
