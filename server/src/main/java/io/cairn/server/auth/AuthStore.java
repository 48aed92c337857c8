package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcd.Permission;
import io.cairn.api.etcd.Role;
import io.cairn.api.etcd.User;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.KeyRange;
import io.cairn.server.storage.Schema;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated users, roles and enabled flag, with etcd's rules for changing them. Changed on
 * the apply thread only (each change bumps the auth revision); read anywhere through
 * {@link #state()}. An expected failure throws before anything is written.
 */
public final class AuthStore {
    private static final String USER = "user/";
    private static final String ROLE = "role/";
    private static final Comparator<ByteString> BYTES = KeyRange.ORDER;
    private static final Comparator<Permission> PERMISSION_ORDER = (a, b) -> {
        int c = BYTES.compare(a.getKey(), b.getKey());
        return c != 0 ? c : BYTES.compare(a.getRangeEnd(), b.getRangeEnd());
    };

    static final int MAX_NAME_BYTES = 256;

    private volatile AuthState state = AuthState.empty();

    public static AuthStore load(Backend backend) {
        AuthStore store = new AuthStore();
        store.reload(backend);
        return store;
    }

    /** Reads everything again, after the backend was replaced. */
    public void reload(Backend backend) {
        SortedMap<String, User> users = new TreeMap<>();
        SortedMap<String, Role> roles = new TreeMap<>();
        for (Map.Entry<byte[], byte[]> e : backend.scan(Schema.AUTH)) {
            String key = new String(e.getKey(), StandardCharsets.UTF_8);
            try {
                if (key.startsWith(USER)) {
                    users.put(key.substring(USER.length()), User.parseFrom(e.getValue()));
                } else if (key.startsWith(ROLE)) {
                    roles.put(key.substring(ROLE.length()), Role.parseFrom(e.getValue()));
                }
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("corrupt auth record " + key, ex);
            }
        }
        state = new AuthState(backend.readMeta(Schema.Meta.AUTH_ENABLED).orElse(0) == 1,
                backend.readMeta(Schema.Meta.AUTH_REVISION).orElse(0), users, roles);
    }

    public AuthState state() {
        return state;
    }

    public void enable(WriteBatch batch) {
        AuthState s = state;
        if (s.enabled()) {
            return;
        }
        User root = s.user(AuthState.ROOT);
        if (root == null) {
            throw ServerError.ROOT_USER_NOT_EXIST.exception();
        }
        if (!root.getRolesList().contains(AuthState.ROOT)) {
            throw ServerError.ROOT_ROLE_NOT_EXIST.exception();
        }
        batch.putMeta(Schema.Meta.AUTH_ENABLED, 1);
        commit(batch, true, s.users(), s.roles());
    }

    public void disable(WriteBatch batch) {
        AuthState s = state;
        if (!s.enabled()) {
            return;
        }
        batch.putMeta(Schema.Meta.AUTH_ENABLED, 0);
        commit(batch, false, s.users(), s.roles());
    }

    /** @param passwordHash a bcrypt hash, empty for a no-password user */
    public void addUser(WriteBatch batch, String name, String passwordHash, boolean noPassword) {
        AuthState s = state;
        if (name.isEmpty()) {
            throw ServerError.USER_EMPTY.exception();
        }
        checkLength(name);
        if (s.user(name) != null) {
            throw ServerError.USER_ALREADY_EXIST.exception();
        }
        User.Builder user = User.newBuilder().setName(ByteString.copyFromUtf8(name));
        if (noPassword) {
            user.getOptionsBuilder().setNoPassword(true);
        } else {
            user.setPassword(ByteString.copyFromUtf8(passwordHash));
        }
        SortedMap<String, User> users = new TreeMap<>(s.users());
        users.put(name, putUser(batch, user.build()));
        commit(batch, s.enabled(), users, s.roles());
    }

    public void deleteUser(WriteBatch batch, String name) {
        AuthState s = state;
        if (s.enabled() && name.equals(AuthState.ROOT)) {
            throw ServerError.INVALID_AUTH_MGMT.exception();
        }
        existingUser(s, name);
        SortedMap<String, User> users = new TreeMap<>(s.users());
        users.remove(name);
        batch.delete(Schema.AUTH, key(USER, name));
        commit(batch, s.enabled(), users, s.roles());
    }

    public void changePassword(WriteBatch batch, String name, String passwordHash) {
        AuthState s = state;
        User user = existingUser(s, name);
        SortedMap<String, User> users = new TreeMap<>(s.users());
        users.put(name, putUser(batch, user.toBuilder().setPassword(ByteString.copyFromUtf8(passwordHash)).build()));
        commit(batch, s.enabled(), users, s.roles());
    }

    public void grantRole(WriteBatch batch, String name, String role) {
        AuthState s = state;
        User user = existingUser(s, name);
        if (!role.equals(AuthState.ROOT) && s.role(role) == null) {
            throw ServerError.ROLE_NOT_FOUND.exception();
        }
        if (user.getRolesList().contains(role)) {
            return;
        }
        TreeSet<String> roles = new TreeSet<>(user.getRolesList());
        roles.add(role);
        SortedMap<String, User> users = new TreeMap<>(s.users());
        users.put(name, putUser(batch, user.toBuilder().clearRoles().addAllRoles(roles).build()));
        commit(batch, s.enabled(), users, s.roles());
    }

    public void revokeRole(WriteBatch batch, String name, String role) {
        AuthState s = state;
        if (s.enabled() && name.equals(AuthState.ROOT) && role.equals(AuthState.ROOT)) {
            throw ServerError.INVALID_AUTH_MGMT.exception();
        }
        User user = existingUser(s, name);
        if (!user.getRolesList().contains(role)) {
            throw ServerError.ROLE_NOT_GRANTED.exception();
        }
        List<String> roles = new ArrayList<>(user.getRolesList());
        roles.remove(role);
        SortedMap<String, User> users = new TreeMap<>(s.users());
        users.put(name, putUser(batch, user.toBuilder().clearRoles().addAllRoles(roles).build()));
        commit(batch, s.enabled(), users, s.roles());
    }

    public void addRole(WriteBatch batch, String name) {
        AuthState s = state;
        if (name.isEmpty()) {
            throw ServerError.ROLE_EMPTY.exception();
        }
        checkLength(name);
        if (s.role(name) != null) {
            throw ServerError.ROLE_ALREADY_EXIST.exception();
        }
        SortedMap<String, Role> roles = new TreeMap<>(s.roles());
        roles.put(name, putRole(batch, Role.newBuilder().setName(ByteString.copyFromUtf8(name)).build()));
        commit(batch, s.enabled(), s.users(), roles);
    }

    /** Deletes a role and takes it from every user that had it. */
    public void deleteRole(WriteBatch batch, String name) {
        AuthState s = state;
        if (s.enabled() && name.equals(AuthState.ROOT)) {
            throw ServerError.INVALID_AUTH_MGMT.exception();
        }
        existingRole(s, name);
        SortedMap<String, Role> roles = new TreeMap<>(s.roles());
        roles.remove(name);
        batch.delete(Schema.AUTH, key(ROLE, name));
        SortedMap<String, User> users = new TreeMap<>(s.users());
        for (User user : s.users().values()) {
            if (user.getRolesList().contains(name)) {
                List<String> left = new ArrayList<>(user.getRolesList());
                left.remove(name);
                users.put(user.getName().toStringUtf8(),
                        putUser(batch, user.toBuilder().clearRoles().addAllRoles(left).build()));
            }
        }
        commit(batch, s.enabled(), users, roles);
    }

    /** Grants a permission, replacing the type of one over the same key and range end. */
    public void grantPermission(WriteBatch batch, String name, Permission permission) {
        AuthState s = state;
        Role role = existingRole(s, name);
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        perms.removeIf(p -> PERMISSION_ORDER.compare(p, permission) == 0);
        perms.add(permission);
        perms.sort(PERMISSION_ORDER);
        SortedMap<String, Role> roles = new TreeMap<>(s.roles());
        roles.put(name, putRole(batch, role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build()));
        commit(batch, s.enabled(), s.users(), roles);
    }

    public void revokePermission(WriteBatch batch, String name, ByteString key, ByteString rangeEnd) {
        AuthState s = state;
        Role role = existingRole(s, name);
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        if (!perms.removeIf(p -> p.getKey().equals(key) && p.getRangeEnd().equals(rangeEnd))) {
            throw ServerError.PERMISSION_NOT_GRANTED.exception();
        }
        SortedMap<String, Role> roles = new TreeMap<>(s.roles());
        roles.put(name, putRole(batch, role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build()));
        commit(batch, s.enabled(), s.users(), roles);
    }

    /** Names are LMDB keys, which are limited to 511 bytes. */
    private static void checkLength(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw ServerError.REQUEST_TOO_LARGE.exception();
        }
    }

    static User existingUser(AuthState s, String name) {
        User user = s.user(name);
        if (user == null) {
            throw ServerError.USER_NOT_FOUND.exception();
        }
        return user;
    }

    static Role existingRole(AuthState s, String name) {
        Role role = s.role(name);
        if (role == null) {
            throw ServerError.ROLE_NOT_FOUND.exception();
        }
        return role;
    }

    private void commit(WriteBatch batch, boolean enabled, SortedMap<String, User> users, SortedMap<String, Role> roles) {
        long revision = state.revision() + 1;
        batch.putMeta(Schema.Meta.AUTH_REVISION, revision);
        state = new AuthState(enabled, revision, users, roles);
    }

    private static User putUser(WriteBatch batch, User user) {
        batch.put(Schema.AUTH, key(USER, user.getName().toStringUtf8()), user.toByteArray());
        return user;
    }

    private static Role putRole(WriteBatch batch, Role role) {
        batch.put(Schema.AUTH, key(ROLE, role.getName().toStringUtf8()), role.toByteArray());
        return role;
    }

    private static byte[] key(String kind, String name) {
        return (kind + name).getBytes(StandardCharsets.UTF_8);
    }
}
