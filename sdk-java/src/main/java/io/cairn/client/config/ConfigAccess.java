package io.cairn.client.config;

import io.cairn.client.Auth;
import io.cairn.client.Bytes;
import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.Keys;
import io.cairn.client.Listing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Grants a role access to one namespace's configs, as key-range permissions on the namespace's
 * prefixes (the config center checks the same ranges):
 *
 * <pre>
 * READ        read on /cairn/config/&lt;ns&gt;/, /cairn/config-meta/&lt;ns&gt;/, /cairn/config-history/&lt;ns&gt;/,
 *             /cairn/config-gray/&lt;ns&gt;/, /cairn/config-audit/&lt;ns&gt;/ and /cairn/config-draft/&lt;ns&gt;/
 *             (get, list, history, diff, listen, gray, audit and draft reads)
 * READ_WRITE  the same, and write on /cairn/config/&lt;ns&gt;/
 *             (publish, delete, rollback, gray releases, schemas, import; in a namespace that
 *             requires review, drafts, and withdrawing them)
 * REVIEW      READ, and write on /cairn/config-review/&lt;ns&gt;/, which holds no keys
 *             (approve and reject drafts; not publish directly)
 * REVEAL      READ, and read on /cairn/config-reveal/&lt;ns&gt;/, which holds no keys
 *             (secret values in clear: what an application that uses them needs)
 * </pre>
 *
 * READ and READ_WRITE set the role's access (and take REVIEW and REVEAL away); REVIEW and
 * REVEAL add to it (a writer made a reviewer stays a writer). A grant wider than these ranges
 * (read or write on /cairn/ or everything) counts too: write there makes a reviewer of every
 * namespace; only REVEAL's exact range reveals secrets. Only root may grant; the role must
 * exist ({@link Auth#roleAdd}). Direct KV writes under /cairn/config* are refused to everyone
 * but root, whatever the role holds.
 */
public final class ConfigAccess {
    /** How much of a namespace a role may do. */
    public enum Level {
        READ,
        READ_WRITE,
        REVIEW,
        REVEAL
    }

    private static final List<String> READ_PREFIXES = List.of("config", "config-meta", "config-history", "config-gray",
            "config-audit", "config-draft");

    private ConfigAccess() {
    }

    /** The permissions a level of access to {@code namespace} takes, in the order they are granted. */
    public static List<Auth.Permission> permissions(String namespace, Level level) {
        ConfigKey.checkName("namespace", namespace);
        List<Auth.Permission> perms = new ArrayList<>();
        for (String area : READ_PREFIXES) {
            Bytes prefix = prefix(area, namespace);
            Auth.Permission.Type type = level == Level.READ_WRITE && area.equals("config")
                    ? Auth.Permission.Type.READWRITE : Auth.Permission.Type.READ;
            perms.add(new Auth.Permission(type, prefix, Keys.prefixEnd(prefix)));
        }
        if (level == Level.REVIEW) {
            Bytes prefix = prefix("config-review", namespace);
            perms.add(new Auth.Permission(Auth.Permission.Type.READWRITE, prefix, Keys.prefixEnd(prefix)));
        }
        if (level == Level.REVEAL) {
            Bytes prefix = prefix("config-reveal", namespace);
            perms.add(new Auth.Permission(Auth.Permission.Type.READ, prefix, Keys.prefixEnd(prefix)));
        }
        return List.copyOf(perms);
    }

    /**
     * Gives {@code role} this level of access to {@code namespace}: READ and READ_WRITE replace
     * what it had on those ranges (READ after READ_WRITE takes writing away; either takes
     * reviewing and revealing away); REVIEW and REVEAL add theirs, never taking writing away.
     * Fails as {@link Auth#roleGrantPermission} does ("etcdserver: role name not found",
     * "etcdserver: permission denied" for a user other than root); some ranges may then be
     * granted already.
     */
    public static CompletableFuture<Void> grant(Auth auth, String role, String namespace, Level level) {
        List<Auth.Permission> wanted = permissions(namespace, level);
        boolean addOn = level == Level.REVIEW || level == Level.REVEAL;
        CompletableFuture<List<Auth.Permission>> held = addOn
                ? auth.roleGet(role).thenApply(Listing::items) : CompletableFuture.completedFuture(List.of());
        return held.thenCompose(has -> {
            CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
            for (Auth.Permission p : wanted) {
                boolean wider = has.stream().anyMatch(h -> h.type() == Auth.Permission.Type.READWRITE
                        && h.key().equals(p.key()) && h.rangeEnd().equals(p.rangeEnd()));
                if (!wider) {
                    done = done.thenCompose(x -> auth.roleGrantPermission(role, p).thenApply(h -> null));
                }
            }
            if (!addOn) {
                for (Auth.Permission extra : extras(namespace)) {
                    done = done.thenCompose(x -> revokeIfHeld(auth, role, extra));
                }
            }
            return done;
        });
    }

    /** The ranges only REVIEW and REVEAL grant. */
    private static List<Auth.Permission> extras(String namespace) {
        List<Auth.Permission> review = permissions(namespace, Level.REVIEW);
        List<Auth.Permission> reveal = permissions(namespace, Level.REVEAL);
        return List.of(review.get(review.size() - 1), reveal.get(reveal.size() - 1));
    }

    private static CompletableFuture<Void> revokeIfHeld(Auth auth, String role, Auth.Permission p) {
        return auth.roleRevokePermission(role, p.key(), p.rangeEnd()).handle((h, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            boolean notHeld = cause instanceof CairnException e && e.getMessage().contains("permission is not granted");
            if (cause != null && !notHeld) {
                throw new CompletionException(cause);
            }
            return null;
        });
    }

    /** {@link #grant(Auth, String, String, Level)} through {@code client.auth()}. */
    public static CompletableFuture<Void> grant(Client client, String role, String namespace, Level level) {
        return grant(client.auth(), role, namespace, level);
    }

    /**
     * Takes from {@code role} every range {@link #grant} gives for {@code namespace}; ranges it
     * does not hold are passed over.
     */
    public static CompletableFuture<Void> revoke(Auth auth, String role, String namespace) {
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        List<Auth.Permission> all = new ArrayList<>(permissions(namespace, Level.READ));
        all.addAll(extras(namespace));
        for (Auth.Permission p : all) {
            done = done.thenCompose(x -> revokeIfHeld(auth, role, p));
        }
        return done;
    }

    private static Bytes prefix(String area, String namespace) {
        return Bytes.of("/cairn/" + area + "/" + namespace + "/");
    }
}
