package io.cairn.client;

import io.cairn.api.etcd.AuthDisableRequest;
import io.cairn.api.etcd.AuthEnableRequest;
import io.cairn.api.etcd.AuthGrpc;
import io.cairn.api.etcd.AuthRoleAddRequest;
import io.cairn.api.etcd.AuthRoleDeleteRequest;
import io.cairn.api.etcd.AuthRoleGetRequest;
import io.cairn.api.etcd.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcd.AuthRoleListRequest;
import io.cairn.api.etcd.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcd.AuthStatusRequest;
import io.cairn.api.etcd.AuthUserAddRequest;
import io.cairn.api.etcd.AuthUserChangePasswordRequest;
import io.cairn.api.etcd.AuthUserDeleteRequest;
import io.cairn.api.etcd.AuthUserGetRequest;
import io.cairn.api.etcd.AuthUserGrantRoleRequest;
import io.cairn.api.etcd.AuthUserListRequest;
import io.cairn.api.etcd.AuthUserRevokeRoleRequest;
import io.cairn.api.etcd.UserAddOptions;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Users, roles and their permissions, and turning authentication on and off, as etcd's Auth
 * service has them. A user holds roles; a role holds permissions on keys. User "root" with
 * role "root" may do anything, and must exist before authentication is enabled. Once it is,
 * every client needs a user ({@link Client.Builder#user}), and only root may change users and
 * roles or list them; a user may still read itself ({@link #userGet}) and its roles
 * ({@link #roleGet}).
 *
 * <p>Every call answers a future completed on a gRPC thread (do not block in its callbacks),
 * or failed with a {@link CairnException} carrying etcd's text; any call fails with
 * "etcdserver: permission denied" when the client's user may not make it. Reads are retried on
 * another endpoint when one is unavailable; changes never are.
 */
public final class Auth {
    private final Calls calls;
    private final Sync sync = new Sync();

    Auth(Calls calls) {
        this.calls = calls;
    }

    /**
     * Access of one kind to keys.
     *
     * @param key      the first key
     * @param rangeEnd {@link Bytes#EMPTY}: {@code key} alone; {@link Keys#FROM_KEY}: every key
     *                 from {@code key} on; {@code Keys.prefixEnd(key)}: every key starting with
     *                 {@code key}; otherwise the keys in [key, rangeEnd)
     */
    public record Permission(Type type, Bytes key, Bytes rangeEnd) {
        /** What a permission allows. */
        public enum Type {
            /** Reads: get, watch. */
            READ,
            /** Writes: put, delete, txn writes. */
            WRITE,
            /** Both. */
            READWRITE
        }

        /** Checks and copies the components: the record is immutable. */

        public Permission {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(rangeEnd, "rangeEnd");
        }
    }

    /**
     * Whether authentication is on.
     *
     * @param authRevision the revision of the users and roles, raised by every change to them
     */
    public record AuthStatus(Header header, boolean enabled, long authRevision) {
    }

    /**
     * Turns authentication on. Fails with "etcdserver: root user does not exist" or
     * "etcdserver: root user does not have root role".
     */
    public CompletableFuture<Header> enable() {
        return change(AuthGrpc.getAuthEnableMethod(), AuthEnableRequest.getDefaultInstance(), r -> r.getHeader());
    }

    /** Turns authentication off; every client may then do anything. */
    public CompletableFuture<Header> disable() {
        return change(AuthGrpc.getAuthDisableMethod(), AuthDisableRequest.getDefaultInstance(), r -> r.getHeader());
    }

    /**
     * Whether authentication is on. While it is, asking needs a user (Cairn answers any user,
     * etcd only root): without one it fails with "etcdserver: user name is empty".
     */
    public CompletableFuture<AuthStatus> status() {
        return calls.unary(AuthGrpc.getAuthStatusMethod(), AuthStatusRequest.getDefaultInstance(), true)
                .thenApply(r -> new AuthStatus(Wire.header(r.getHeader()), r.getEnabled(), r.getAuthRevision()));
    }

    /**
     * Adds a user who logs in with {@code password}. Fails with "etcdserver: user name already
     * exists" or "etcdserver: user name is empty".
     */
    public CompletableFuture<Header> userAdd(String name, String password) {
        return change(AuthGrpc.getUserAddMethod(), AuthUserAddRequest.newBuilder().setName(name).setPassword(password).build(),
                r -> r.getHeader());
    }

    /**
     * Adds a user without a password (etcdctl's {@code --no-password}): one known only by the
     * common name of a client certificate. Fails as {@link #userAdd} does.
     */
    public CompletableFuture<Header> userAddWithoutPassword(String name) {
        AuthUserAddRequest request = AuthUserAddRequest.newBuilder().setName(name)
                .setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build();
        return change(AuthGrpc.getUserAddMethod(), request, r -> r.getHeader());
    }

    /**
     * Deletes a user; its tokens stop working. Fails with "etcdserver: user name not found",
     * and with "etcdserver: invalid auth management" for root while authentication is on.
     */
    public CompletableFuture<Header> userDelete(String name) {
        return change(AuthGrpc.getUserDeleteMethod(), AuthUserDeleteRequest.newBuilder().setName(name).build(), r -> r.getHeader());
    }

    /** Sets a user's password; its tokens stop working. Fails with "etcdserver: user name not found". */
    public CompletableFuture<Header> userChangePassword(String name, String password) {
        AuthUserChangePasswordRequest request = AuthUserChangePasswordRequest.newBuilder().setName(name).setPassword(password).build();
        return change(AuthGrpc.getUserChangePasswordMethod(), request, r -> r.getHeader());
    }

    /**
     * Gives a user a role (nothing changes when it has it). Fails with "etcdserver: user name
     * not found" or "etcdserver: role name not found".
     */
    public CompletableFuture<Header> userGrantRole(String user, String role) {
        return change(AuthGrpc.getUserGrantRoleMethod(), AuthUserGrantRoleRequest.newBuilder().setUser(user).setRole(role).build(),
                r -> r.getHeader());
    }

    /**
     * Takes a role from a user. Fails with "etcdserver: user name not found" or "etcdserver:
     * role is not granted to the user", and with "etcdserver: invalid auth management" for
     * root's root role while authentication is on.
     */
    public CompletableFuture<Header> userRevokeRole(String user, String role) {
        return change(AuthGrpc.getUserRevokeRoleMethod(), AuthUserRevokeRoleRequest.newBuilder().setName(user).setRole(role).build(),
                r -> r.getHeader());
    }

    /** The user's roles, sorted. Fails with "etcdserver: user name not found". */
    public CompletableFuture<Listing<String>> userGet(String name) {
        return calls.unary(AuthGrpc.getUserGetMethod(), AuthUserGetRequest.newBuilder().setName(name).build(), true)
                .thenApply(r -> new Listing<>(Wire.header(r.getHeader()), r.getRolesList()));
    }

    /** Every user's name, sorted. */
    public CompletableFuture<Listing<String>> userList() {
        return calls.unary(AuthGrpc.getUserListMethod(), AuthUserListRequest.getDefaultInstance(), true)
                .thenApply(r -> new Listing<>(Wire.header(r.getHeader()), r.getUsersList()));
    }

    /**
     * Adds a role with no permissions. Fails with "etcdserver: role name already exists" or
     * "etcdserver: role name is empty".
     */
    public CompletableFuture<Header> roleAdd(String name) {
        return change(AuthGrpc.getRoleAddMethod(), AuthRoleAddRequest.newBuilder().setName(name).build(), r -> r.getHeader());
    }

    /**
     * Deletes a role, taking it from every user. Fails with "etcdserver: role name not found",
     * and with "etcdserver: invalid auth management" for root while authentication is on.
     */
    public CompletableFuture<Header> roleDelete(String name) {
        return change(AuthGrpc.getRoleDeleteMethod(), AuthRoleDeleteRequest.newBuilder().setRole(name).build(), r -> r.getHeader());
    }

    /** The role's permissions, sorted by key, then range end. Fails with "etcdserver: role name not found". */
    public CompletableFuture<Listing<Permission>> roleGet(String name) {
        return calls.unary(AuthGrpc.getRoleGetMethod(), AuthRoleGetRequest.newBuilder().setRole(name).build(), true)
                .thenApply(r -> new Listing<>(Wire.header(r.getHeader()), r.getPermList().stream().map(Auth::permission).toList()));
    }

    /** Every role's name, sorted. */
    public CompletableFuture<Listing<String>> roleList() {
        return calls.unary(AuthGrpc.getRoleListMethod(), AuthRoleListRequest.getDefaultInstance(), true)
                .thenApply(r -> new Listing<>(Wire.header(r.getHeader()), r.getRolesList()));
    }

    /**
     * Gives a role a permission; one on the same keys is replaced, so the type can be widened
     * or narrowed. Fails with "etcdserver: role name not found".
     */
    public CompletableFuture<Header> roleGrantPermission(String role, Permission p) {
        io.cairn.api.etcd.Permission perm = io.cairn.api.etcd.Permission.newBuilder()
                .setPermTypeValue(p.type().ordinal()).setKey(p.key().unwrap()).setRangeEnd(p.rangeEnd().unwrap()).build();
        return change(AuthGrpc.getRoleGrantPermissionMethod(),
                AuthRoleGrantPermissionRequest.newBuilder().setName(role).setPerm(perm).build(), r -> r.getHeader());
    }

    /**
     * Takes from a role its permission on exactly these keys (range end as in
     * {@link Permission}). Fails with "etcdserver: role name not found" or "etcdserver:
     * permission is not granted to the role".
     */
    public CompletableFuture<Header> roleRevokePermission(String role, Bytes key, Bytes rangeEnd) {
        AuthRoleRevokePermissionRequest request = AuthRoleRevokePermissionRequest.newBuilder().setRole(role)
                .setKey(key.unwrap()).setRangeEnd(rangeEnd.unwrap()).build();
        return change(AuthGrpc.getRoleRevokePermissionMethod(), request, r -> r.getHeader());
    }

    /** The same calls, waiting for their answers. */
    public Sync sync() {
        return sync;
    }

    /** A call that changes something, so is never retried, answering its header. */
    private <Q, A> CompletableFuture<Header> change(MethodDescriptor<Q, A> method, Q request,
                                                    Function<A, io.cairn.api.etcd.ResponseHeader> header) {
        return calls.unary(method, request, false).thenApply(r -> Wire.header(header.apply(r)));
    }

    /** etcd's permission types are numbered in {@link Permission.Type}'s order. */
    private static Permission permission(io.cairn.api.etcd.Permission p) {
        Permission.Type type = Permission.Type.values()[Math.min(Math.max(p.getPermTypeValue(), 0), 2)];
        return new Permission(type, Bytes.wrap(p.getKey()), Bytes.wrap(p.getRangeEnd()));
    }

    /** Blocking twins of {@link Auth}'s calls; failures are thrown as {@link CairnException}. */
    public final class Sync {
        /** @see Auth#enable() */
        public Header enable() {
            return Calls.await(Auth.this.enable());
        }

        /** @see Auth#disable() */
        public Header disable() {
            return Calls.await(Auth.this.disable());
        }

        /** @see Auth#status() */
        public AuthStatus status() {
            return Calls.await(Auth.this.status());
        }

        /** @see Auth#userAdd(String, String) */
        public Header userAdd(String name, String password) {
            return Calls.await(Auth.this.userAdd(name, password));
        }

        /** @see Auth#userAddWithoutPassword(String) */
        public Header userAddWithoutPassword(String name) {
            return Calls.await(Auth.this.userAddWithoutPassword(name));
        }

        /** @see Auth#userDelete(String) */
        public Header userDelete(String name) {
            return Calls.await(Auth.this.userDelete(name));
        }

        /** @see Auth#userChangePassword(String, String) */
        public Header userChangePassword(String name, String password) {
            return Calls.await(Auth.this.userChangePassword(name, password));
        }

        /** @see Auth#userGrantRole(String, String) */
        public Header userGrantRole(String user, String role) {
            return Calls.await(Auth.this.userGrantRole(user, role));
        }

        /** @see Auth#userRevokeRole(String, String) */
        public Header userRevokeRole(String user, String role) {
            return Calls.await(Auth.this.userRevokeRole(user, role));
        }

        /** @see Auth#userGet(String) */
        public Listing<String> userGet(String name) {
            return Calls.await(Auth.this.userGet(name));
        }

        /** @see Auth#userList() */
        public Listing<String> userList() {
            return Calls.await(Auth.this.userList());
        }

        /** @see Auth#roleAdd(String) */
        public Header roleAdd(String name) {
            return Calls.await(Auth.this.roleAdd(name));
        }

        /** @see Auth#roleDelete(String) */
        public Header roleDelete(String name) {
            return Calls.await(Auth.this.roleDelete(name));
        }

        /** @see Auth#roleGet(String) */
        public Listing<Permission> roleGet(String name) {
            return Calls.await(Auth.this.roleGet(name));
        }

        /** @see Auth#roleList() */
        public Listing<String> roleList() {
            return Calls.await(Auth.this.roleList());
        }

        /** @see Auth#roleGrantPermission(String, Permission) */
        public Header roleGrantPermission(String role, Permission p) {
            return Calls.await(Auth.this.roleGrantPermission(role, p));
        }

        /** @see Auth#roleRevokePermission(String, Bytes, Bytes) */
        public Header roleRevokePermission(String role, Bytes key, Bytes rangeEnd) {
            return Calls.await(Auth.this.roleRevokePermission(role, key, rangeEnd));
        }
    }
}
