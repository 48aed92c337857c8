package io.cairn.server.auth;

import io.cairn.api.etcd.Role;
import io.cairn.api.etcd.User;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable version of the auth state: whether auth is on, its revision, the users and the
 * roles by name. Each user's merged key permissions are computed on first use and kept with
 * this version, so a change of users or roles never serves stale permissions.
 */
public final class AuthState {
    public static final String ROOT = "root";

    private final boolean enabled;
    private final long revision;
    private final SortedMap<String, User> users;
    private final SortedMap<String, Role> roles;
    private final Map<String, KeyPermissions> permissions = new ConcurrentHashMap<>();

    AuthState(boolean enabled, long revision, SortedMap<String, User> users, SortedMap<String, Role> roles) {
        this.enabled = enabled;
        this.revision = revision;
        this.users = users;
        this.roles = roles;
    }

    static AuthState empty() {
        return new AuthState(false, 0, new TreeMap<>(), new TreeMap<>());
    }

    public boolean enabled() {
        return enabled;
    }

    public long revision() {
        return revision;
    }

    public SortedMap<String, User> users() {
        return users;
    }

    public SortedMap<String, Role> roles() {
        return roles;
    }

    public User user(String name) {
        return users.get(name);
    }

    public Role role(String name) {
        return roles.get(name);
    }

    public boolean isRoot(String user) {
        User u = users.get(user);
        return u != null && u.getRolesList().contains(ROOT);
    }

    /** The union of the key permissions of a user's roles; null for an unknown user. */
    public KeyPermissions permissionsOf(String user) {
        User u = users.get(user);
        if (u == null) {
            return null;
        }
        return permissions.computeIfAbsent(user, name -> KeyPermissions.of(u, roles));
    }
}
