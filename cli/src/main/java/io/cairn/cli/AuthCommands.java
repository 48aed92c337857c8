package io.cairn.cli;

import io.cairn.client.Auth.Permission;
import io.cairn.client.Bytes;
import io.cairn.client.Client;
import io.cairn.client.Keys;
import io.cairn.client.Listing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** auth, user and role, printed as etcdctl prints them. */
final class AuthCommands {
    private AuthCommands() {
    }

    /** A password from --new-user-password, else one line of stdin (etcdctl's --interactive=false). */
    static String password(String given) throws IOException {
        if (given != null && !given.isEmpty()) {
            return given;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new Cairnctl.Exit(Cairnctl.EXIT_BAD_ARGS, "password is required");
        }
        return line;
    }

    @Command(name = "auth", description = "Enable or disable authentication.",
            subcommands = {Auth.Enable.class, Auth.Disable.class, Auth.Status.class})
    static final class Auth {
        @Command(name = "enable", description = "Enables authentication.")
        static final class Enable extends Base {
            @Override
            int run(Client client) {
                while (true) {
                    try {
                        client.auth().enable().join();
                        break;
                    } catch (RuntimeException e) {
                        if (!Cairnctl.message(e).contains("root user does not have root role")) {
                            throw new Cairnctl.Exit(Cairnctl.EXIT_ERROR, Cairnctl.message(e));
                        }
                        // as etcdctl: make the root role and give it to root, then try again
                        await(client.auth().roleAdd("root"));
                        await(client.auth().userGrantRole("root", "root"));
                    }
                }
                out().println("Authentication Enabled");
                return 0;
            }
        }

        @Command(name = "disable", description = "Disables authentication.")
        static final class Disable extends Base {
            @Override
            int run(Client client) {
                await(client.auth().disable());
                out().println("Authentication Disabled");
                return 0;
            }
        }

        @Command(name = "status", description = "Returns authentication status.")
        static final class Status extends Base {
            @Override
            int run(Client client) {
                io.cairn.client.Auth.AuthStatus r = await(client.auth().status());
                if (json()) {
                    printJson(GoJson.authStatus(r));
                } else {
                    out().println("Authentication Status: " + r.enabled());
                    out().println("AuthRevision: " + r.authRevision());
                }
                return 0;
            }
        }
    }

    @Command(name = "user", description = "User related commands.",
            subcommands = {User.Add.class, User.Delete.class, User.Get.class, User.ListUsers.class, User.Passwd.class,
                    User.GrantRole.class, User.RevokeRole.class})
    static final class User {
        @Command(name = "add", description = "Adds a new user.")
        static final class Add extends Base {
            @Parameters(index = "0", description = "user name or user:password")
            String name;

            @Option(names = "--new-user-password", description = "Supply password from the command line flag")
            String newPassword;

            @Option(names = "--interactive", arity = "0..1", defaultValue = "true",
                    description = "Read password from stdin instead of interactive terminal")
            boolean interactive;

            @Option(names = "--no-password", description = "Create a user without password (CN based auth only)")
            boolean noPassword;

            @Override
            int run(Client client) throws IOException {
                String user = name;
                String pw = newPassword;
                int colon = name.indexOf(':');
                if (colon >= 0) {
                    user = name.substring(0, colon);
                    pw = name.substring(colon + 1);
                }
                await(noPassword ? client.auth().userAddWithoutPassword(user) : client.auth().userAdd(user, password(pw)));
                out().printf("User %s created%n", user);
                return 0;
            }
        }

        @Command(name = "delete", description = "Deletes a user.")
        static final class Delete extends Base {
            @Parameters(index = "0")
            String name;

            @Override
            int run(Client client) {
                await(client.auth().userDelete(name));
                out().printf("User %s deleted%n", name);
                return 0;
            }
        }

        @Command(name = "get", description = "Gets detailed information of a user.")
        static final class Get extends Base {
            @Parameters(index = "0")
            String name;

            @Option(names = "--detail", description = "Show permissions of roles granted to the user")
            boolean detail;

            @Override
            int run(Client client) {
                Listing<String> answer = await(client.auth().userGet(name));
                List<String> roles = answer.items();
                if (json()) {
                    printJson(GoJson.roles(answer.header(), roles));
                    return 0;
                }
                out().printf("User: %s%n", name);
                if (!detail) {
                    out().printf("Roles: %s%n", String.join(" ", roles));
                    return 0;
                }
                for (String role : roles) {
                    out().println();
                    Role.print(out(), role, await(client.auth().roleGet(role)).items());
                }
                return 0;
            }
        }

        @Command(name = "list", description = "Lists all users.")
        static final class ListUsers extends Base {
            @Override
            int run(Client client) {
                Listing<String> answer = await(client.auth().userList());
                List<String> users = answer.items();
                if (json()) {
                    printJson(GoJson.users(answer.header(), users));
                } else {
                    users.forEach(out()::println);
                }
                return 0;
            }
        }

        @Command(name = "passwd", description = "Changes password of user.")
        static final class Passwd extends Base {
            @Parameters(index = "0")
            String name;

            @Option(names = "--interactive", arity = "0..1", defaultValue = "true",
                    description = "If true, read password from stdin instead of interactive terminal")
            boolean interactive;

            @Override
            int run(Client client) throws IOException {
                await(client.auth().userChangePassword(name, password(null)));
                out().println("Password updated");
                return 0;
            }
        }

        @Command(name = "grant-role", description = "Grants a role to a user.")
        static final class GrantRole extends Base {
            @Parameters(index = "0")
            String name;

            @Parameters(index = "1")
            String role;

            @Override
            int run(Client client) {
                await(client.auth().userGrantRole(name, role));
                out().printf("Role %s is granted to user %s%n", role, name);
                return 0;
            }
        }

        @Command(name = "revoke-role", description = "Revokes a role from a user.")
        static final class RevokeRole extends Base {
            @Parameters(index = "0")
            String name;

            @Parameters(index = "1")
            String role;

            @Override
            int run(Client client) {
                await(client.auth().userRevokeRole(name, role));
                out().printf("Role %s is revoked from user %s%n", role, name);
                return 0;
            }
        }
    }

    @Command(name = "role", description = "Role related commands.",
            subcommands = {Role.Add.class, Role.Delete.class, Role.Get.class, Role.ListRoles.class,
                    Role.GrantPermission.class, Role.RevokePermission.class})
    static final class Role {
        /** etcdctl's listing: reads, then writes, each a key, a range, a prefix or an open range. */
        static void print(java.io.PrintStream out, String name, List<Permission> perms) {
            out.printf("Role %s%n", name);
            out.println("KV Read:");
            for (Permission p : perms) {
                if (p.type() != Permission.Type.WRITE) {
                    out.println("\t" + describe(p));
                }
            }
            out.println("KV Write:");
            for (Permission p : perms) {
                if (p.type() != Permission.Type.READ) {
                    out.println("\t" + describe(p));
                }
            }
        }

        private static String describe(Permission p) {
            String key = p.key().toStringUtf8();
            if (p.rangeEnd().isEmpty()) {
                return key;
            }
            if (p.rangeEnd().equals(Keys.FROM_KEY)) {
                return "[" + key + ", <open ended>";
            }
            String end = p.rangeEnd().toStringUtf8();
            if (p.rangeEnd().equals(Keys.prefixEnd(p.key()))) {
                return "[" + key + ", " + end + ") (prefix " + key + ")";
            }
            return "[" + key + ", " + end + ")";
        }

        @Command(name = "add", description = "Adds a new role.")
        static final class Add extends Base {
            @Parameters(index = "0")
            String name;

            @Override
            int run(Client client) {
                await(client.auth().roleAdd(name));
                out().printf("Role %s created%n", name);
                return 0;
            }
        }

        @Command(name = "delete", description = "Deletes a role.")
        static final class Delete extends Base {
            @Parameters(index = "0")
            String name;

            @Override
            int run(Client client) {
                await(client.auth().roleDelete(name));
                out().printf("Role %s deleted%n", name);
                return 0;
            }
        }

        @Command(name = "get", description = "Gets detailed information of a role.")
        static final class Get extends Base {
            @Parameters(index = "0")
            String name;

            @Override
            int run(Client client) {
                Listing<Permission> answer = await(client.auth().roleGet(name));
                List<Permission> perms = answer.items();
                if (json()) {
                    printJson(GoJson.permissions(answer.header(), perms));
                } else {
                    print(out(), name, perms);
                }
                return 0;
            }
        }

        @Command(name = "list", description = "Lists all roles.")
        static final class ListRoles extends Base {
            @Override
            int run(Client client) {
                Listing<String> answer = await(client.auth().roleList());
                List<String> roles = answer.items();
                if (json()) {
                    printJson(GoJson.roles(answer.header(), roles));
                } else {
                    roles.forEach(out()::println);
                }
                return 0;
            }
        }

        @Command(name = "grant-permission", description = "Grants a key to a role.")
        static final class GrantPermission extends Base {
            @Parameters(index = "0")
            String name;

            @Parameters(index = "1", description = "read, write or readwrite")
            String type;

            @Parameters(index = "2")
            String key;

            @Parameters(index = "3", arity = "0..1")
            String end;

            @Option(names = "--prefix", description = "grant a prefix permission")
            boolean prefix;

            @Option(names = "--from-key", description = "grant a permission of keys that are greater than or equal to the given key")
            boolean fromKey;

            @Override
            int run(Client client) {
                Permission.Type t;
                try {
                    t = Permission.Type.valueOf(type.toUpperCase());
                } catch (IllegalArgumentException e) {
                    throw new Cairnctl.Exit(Cairnctl.EXIT_BAD_ARGS, "invalid permission type " + type);
                }
                Bytes k = Bytes.of(key);
                await(client.auth().roleGrantPermission(name, new Permission(t, k, KvCommands.rangeEnd(k, end, prefix, fromKey))));
                out().printf("Role %s updated%n", name);
                return 0;
            }
        }

        @Command(name = "revoke-permission", description = "Revokes a key from a role.")
        static final class RevokePermission extends Base {
            @Parameters(index = "0")
            String name;

            @Parameters(index = "1")
            String key;

            @Parameters(index = "2", arity = "0..1")
            String end;

            @Option(names = "--prefix", description = "revoke a prefix permission")
            boolean prefix;

            @Option(names = "--from-key", description = "revoke a permission of keys that are greater than or equal to the given key")
            boolean fromKey;

            @Override
            int run(Client client) {
                Bytes k = Bytes.of(key);
                Bytes rangeEnd = KvCommands.rangeEnd(k, end, prefix, fromKey);
                await(client.auth().roleRevokePermission(name, k, rangeEnd));
                if (rangeEnd.isEmpty()) {
                    out().printf("Permission of key %s is revoked from role %s%n", key, name);
                } else {
                    out().printf("Permission of range [%s, %s) is revoked from role %s%n", key, rangeEnd.toStringUtf8(), name);
                }
                return 0;
            }
        }
    }
}
