package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import io.cairn.api.config.ConfigReceipt;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.server.command.Command;
import io.cairn.server.command.ConfigChange;
import io.cairn.server.config.ConfigKeys;
import io.cairn.server.errors.ServerError;
import java.util.Collection;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Who may do what once auth is enabled — the one place that decides. Every call needs a known
 * user except authentication itself; key operations need a role granting the keys; everything
 * that manages the cluster, the store or auth needs the root role. Writes are checked where
 * they are proposed and again where they are applied, against the auth state at that point of
 * the log.
 */
public final class AccessPolicy {
    /** What a call needs before its request is even looked at. */
    public enum Level {
        /** Anyone: authentication and enabling auth. */
        OPEN,
        /** A known user. */
        USER,
        /** A known user; the keys the request names are then checked by the service. */
        KEYED,
        /** A user with the root role. */
        ADMIN
    }

    private static final Map<String, Level> METHODS = Map.ofEntries(
            Map.entry("etcdserverpb.KV/Range", Level.KEYED),
            Map.entry("etcdserverpb.KV/Put", Level.KEYED),
            Map.entry("etcdserverpb.KV/DeleteRange", Level.KEYED),
            Map.entry("etcdserverpb.KV/Txn", Level.KEYED),
            Map.entry("etcdserverpb.Watch/Watch", Level.KEYED),
            Map.entry("etcdserverpb.Lease/LeaseRevoke", Level.KEYED),
            // locks and elections are made of KV calls, each checked as the caller
            Map.entry("v3lockpb.Lock/Lock", Level.KEYED),
            Map.entry("v3lockpb.Lock/Unlock", Level.KEYED),
            Map.entry("v3electionpb.Election/Campaign", Level.KEYED),
            Map.entry("v3electionpb.Election/Proclaim", Level.KEYED),
            Map.entry("v3electionpb.Election/Leader", Level.KEYED),
            Map.entry("v3electionpb.Election/Observe", Level.KEYED),
            Map.entry("v3electionpb.Election/Resign", Level.KEYED),
            Map.entry("etcdserverpb.Lease/LeaseGrant", Level.USER),
            Map.entry("etcdserverpb.Lease/LeaseKeepAlive", Level.USER),
            Map.entry("etcdserverpb.Lease/LeaseTimeToLive", Level.USER),
            Map.entry("etcdserverpb.Lease/LeaseLeases", Level.USER),
            Map.entry("etcdserverpb.Cluster/MemberList", Level.USER),
            Map.entry("etcdserverpb.Maintenance/Status", Level.USER),
            Map.entry("etcdserverpb.Auth/Authenticate", Level.OPEN),
            Map.entry("etcdserverpb.Auth/AuthEnable", Level.OPEN),
            Map.entry("etcdserverpb.Auth/AuthStatus", Level.USER),
            Map.entry("etcdserverpb.Auth/UserGet", Level.USER),
            Map.entry("etcdserverpb.Auth/RoleGet", Level.USER),
            Map.entry("etcdserverpb.Auth/UserChangePassword", Level.USER),
            // the registry is KV underneath: a namespace's prefix is its permission
            Map.entry("cairn.discovery.v1.Registry/Register", Level.KEYED),
            Map.entry("cairn.discovery.v1.Registry/Deregister", Level.KEYED),
            Map.entry("cairn.discovery.v1.Registry/Update", Level.KEYED),
            Map.entry("cairn.discovery.v1.Registry/ListServices", Level.KEYED),
            Map.entry("cairn.discovery.v1.Registry/ListInstances", Level.KEYED),
            Map.entry("cairn.discovery.v1.Registry/Subscribe", Level.KEYED),
            Map.entry("cairn.discovery.v1.Registry/PutService", Level.KEYED),
            Map.entry("cairn.discovery.v1.Registry/GetService", Level.KEYED),
            // so is the config center; making and removing namespaces is root's
            Map.entry("cairn.config.v1.Config/ListNamespaces", Level.USER),
            Map.entry("cairn.config.v1.Config/DescribeNamespace", Level.USER),
            Map.entry("cairn.config.v1.Config/Publish", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Get", Level.KEYED),
            Map.entry("cairn.config.v1.Config/List", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Delete", Level.KEYED),
            Map.entry("cairn.config.v1.Config/History", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Diff", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Rollback", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Listen", Level.KEYED),
            Map.entry("cairn.config.v1.Config/SetSchema", Level.KEYED),
            Map.entry("cairn.config.v1.Config/StartGray", Level.KEYED),
            Map.entry("cairn.config.v1.Config/GetGray", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Listeners", Level.KEYED),
            Map.entry("cairn.config.v1.Config/PromoteGray", Level.KEYED),
            Map.entry("cairn.config.v1.Config/AbortGray", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Export", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Import", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Audit", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Report", Level.KEYED),
            Map.entry("cairn.config.v1.Config/Status", Level.KEYED),
            Map.entry("cairn.config.v1.Config/ListDrafts", Level.KEYED),
            Map.entry("cairn.config.v1.Config/GetDraft", Level.KEYED),
            Map.entry("cairn.config.v1.Config/ReviewDraft", Level.KEYED));

    private final AuthStore store;

    public AccessPolicy(AuthStore store) {
        this.store = store;
    }

    /** The level of a method ("etcdserverpb.KV/Range"); anything not listed needs root. */
    public static Level levelOf(String method) {
        return METHODS.getOrDefault(method, Level.ADMIN);
    }

    public boolean enabled() {
        return store.state().enabled();
    }

    /** Checks a call's level; KEYED calls check their keys later, through the methods below. */
    public void require(Level level, String user) {
        AuthState s = store.state();
        if (!s.enabled() || level == Level.OPEN) {
            return;
        }
        knownUser(s, user);
        if (level == Level.ADMIN && !s.isRoot(user)) {
            throw ServerError.PERMISSION_DENIED.exception();
        }
    }

    /** Whether {@code user} may act on another user's or role's record: root, or the user itself. */
    public void requireSelfOrAdmin(String user, String subject) {
        AuthState s = store.state();
        if (s.enabled() && !(knownUser(s, user) && (s.isRoot(user) || user.equals(subject)))) {
            throw ServerError.PERMISSION_DENIED.exception();
        }
    }

    /** Whether {@code user} may read a role: root, or a holder of that role. */
    public void requireRoleHolderOrAdmin(String user, String role) {
        AuthState s = store.state();
        if (s.enabled() && !(knownUser(s, user) && (s.isRoot(user) || s.user(user).getRolesList().contains(role)))) {
            throw ServerError.PERMISSION_DENIED.exception();
        }
    }

    public void checkRead(String user, ByteString key, ByteString rangeEnd) {
        check(store.state(), user, key, rangeEnd, false);
    }

    public void checkTxn(String user, TxnRequest txn) {
        AuthState s = store.state();
        if (s.enabled()) {
            txn(s, user, txn);
        }
    }

    /**
     * Checks a command a client caused, against the current auth state.
     *
     * @param leaseKeys the keys attached to a lease, or null where they cannot be known (then a
     *                  revoke is checked only at apply)
     */
    public void checkCommand(String user, Command command, LongFunction<Collection<ByteString>> leaseKeys) {
        AuthState s = store.state();
        if (!s.enabled()) {
            if (command.getOpCase() == Command.OpCase.CONFIG_CHANGE && command.getConfigChange().hasReview()) {
                review(s, user, "", command.getConfigChange().getReview().getApprove());
            }
            return;
        }
        switch (command.getOpCase()) {
            case PUT -> put(s, user, command.getPut());
            case DELETE_RANGE -> delete(s, user, command.getDeleteRange());
            case TXN -> txn(s, user, command.getTxn());
            case LEASE_GRANT -> knownUser(s, user);
            case LEASED_TXN -> {
                knownUser(s, user);
                txn(s, user, command.getLeasedTxn().getTxn());
            }
            case LEASE_REVOKE -> {
                knownUser(s, user);
                if (leaseKeys != null && !s.isRoot(user)) {
                    for (ByteString key : leaseKeys.apply(command.getLeaseRevoke().getID())) {
                        // a rollout receipt is only ever written through the config service, on a lease
                        // its reporter names: it must not keep the lease's holder from revoking it
                        if (!ConfigKeys.isReceipt(key)) {
                            check(s, user, key, ByteString.EMPTY, true);
                        }
                    }
                }
            }
            case CONFIG_CHANGE -> config(s, user, command.getConfigChange());
            case AUTH_ENABLE, ISSUE_TOKEN -> { }
            case USER_CHANGE_PASSWORD -> requireSelfOrAdmin(user, command.getUserChangePassword().getName());
            default -> require(Level.ADMIN, user);
        }
    }

    /** Whether {@code user} may change a namespace's configs: write permission on its content prefix. */
    public void checkConfigWrite(String user, String namespace) {
        configWrite(store.state(), user, namespace);
    }

    /**
     * Whether {@code user} may see a namespace's secrets in clear: a role of theirs was granted
     * read on exactly the namespace's reveal prefix (which holds no keys), or they are root;
     * anyone with auth off. A wider read grant (a backup role's read on everything, say) does
     * not reveal: secrets are given away by name only.
     */
    public void checkReveal(String user, String namespace) {
        AuthState s = store.state();
        if (!s.enabled()) {
            return;
        }
        knownUser(s, user);
        ByteString reveal = ConfigKeys.revealPrefix(namespace);
        ByteString end = ConfigKeys.end(reveal);
        boolean granted = s.user(user).getRolesList().stream().map(s::role).filter(java.util.Objects::nonNull)
                .flatMap(r -> r.getKeyPermissionList().stream())
                .anyMatch(p -> p.getKey().equals(reveal) && p.getRangeEnd().equals(end)
                        && p.getPermType() != io.cairn.api.etcd.Permission.Type.WRITE);
        if (!s.isRoot(user) && !granted) {
            throw ServerError.PERMISSION_DENIED.exception();
        }
    }

    /** Namespaces are made and removed by root; configs by those who may write the namespace. */
    private void config(AuthState s, String user, ConfigChange c) {
        switch (c.getOpCase()) {
            case WRITE -> configWrite(s, user, c.getWrite().getKey().getNamespace());
            case SCHEMA -> configWrite(s, user, c.getSchema().getKey().getNamespace());
            case START_GRAY -> configWrite(s, user, c.getStartGray().getKey().getNamespace());
            case ABORT_GRAY -> configWrite(s, user, c.getAbortGray().getKey().getNamespace());
            case IMPORT -> configWrite(s, user, c.getImport().getNamespace());
            case REVIEW -> {
                if (c.getReview().getWithdraw()) {
                    configWrite(s, user, c.getReview().getKey().getNamespace()); // apply checks it is the author
                } else {
                    review(s, user, c.getReview().getKey().getNamespace(), c.getReview().getApprove());
                }
            }
            // a writer's first secret makes the namespace's data key; replacing one is a rotation, root's
            case SECRET_KEYS -> {
                for (io.cairn.server.command.DataKey k : c.getSecretKeys().getKeysList()) {
                    if (k.getExpected().isEmpty()) {
                        configWrite(s, user, k.getNamespace());
                    } else {
                        require(Level.ADMIN, user);
                    }
                }
            }
            // a client says what it applied of a namespace it may read
            case RECEIPT, WITHDRAW_RECEIPT -> {
                ConfigReceipt r = c.hasReceipt() ? c.getReceipt() : c.getWithdrawReceipt();
                ByteString prefix = ConfigKeys.contentPrefix(r.getKey().getNamespace());
                check(s, user, prefix, ConfigKeys.end(prefix), false);
            }
            default -> require(Level.ADMIN, user);
        }
    }

    /** Whether {@code user} reviews the namespace's drafts: write on its review prefix, or root; anyone with auth off. */
    public boolean isReviewer(String user, String namespace) {
        AuthState s = store.state();
        ByteString review = ConfigKeys.reviewPrefix(namespace);
        return !s.enabled() || s.isRoot(user) || s.permissionsOf(user).canWrite(review, ConfigKeys.end(review));
    }

    /**
     * Approving or rejecting a draft takes a reviewer of the namespace (write permission on its
     * review prefix, or root); approving also auth on: with it off the reviewer cannot be told
     * from the author. (An author withdrawing a draft is a withdrawal, a writer's.)
     */
    private static void review(AuthState s, String user, String namespace, boolean approve) {
        if (!s.enabled()) {
            if (approve) {
                throw ServerError.CONFIG_REVIEW_REFUSED.exception("approving a draft needs auth on: "
                        + "with it off, the reviewer cannot be told from the author");
            }
            return;
        }
        knownUser(s, user);
        ByteString review = ConfigKeys.reviewPrefix(namespace);
        if (s.isRoot(user) || s.permissionsOf(user).canWrite(review, ConfigKeys.end(review))) {
            return;
        }
        throw ServerError.PERMISSION_DENIED.exception();
    }

    private static void configWrite(AuthState s, String user, String namespace) {
        if (!s.enabled()) {
            return;
        }
        knownUser(s, user);
        ByteString prefix = ConfigKeys.writePrefix(namespace);
        if (!s.isRoot(user) && !s.permissionsOf(user).canWrite(prefix, ConfigKeys.end(prefix))) {
            throw ServerError.PERMISSION_DENIED.exception();
        }
    }

    private void put(AuthState s, String user, PutRequest r) {
        check(s, user, r.getKey(), ByteString.EMPTY, true);
        if (r.getPrevKv()) {
            check(s, user, r.getKey(), ByteString.EMPTY, false);
        }
    }

    private void delete(AuthState s, String user, DeleteRangeRequest r) {
        check(s, user, r.getKey(), r.getRangeEnd(), true);
        if (r.getPrevKv()) {
            check(s, user, r.getKey(), r.getRangeEnd(), false);
        }
    }

    /** Every compare is a read; every op of both branches is checked, nested txns included. */
    private void txn(AuthState s, String user, TxnRequest txn) {
        for (Compare c : txn.getCompareList()) {
            check(s, user, c.getKey(), c.getRangeEnd(), false);
        }
        ops(s, user, txn.getSuccessList());
        ops(s, user, txn.getFailureList());
    }

    private void ops(AuthState s, String user, java.util.List<RequestOp> ops) {
        for (RequestOp op : ops) {
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> check(s, user, op.getRequestRange().getKey(),
                        op.getRequestRange().getRangeEnd(), false);
                case REQUEST_PUT -> put(s, user, op.getRequestPut());
                case REQUEST_DELETE_RANGE -> delete(s, user, op.getRequestDeleteRange());
                case REQUEST_TXN -> txn(s, user, op.getRequestTxn());
                case REQUEST_NOT_SET -> { }
            }
        }
    }

    private static void check(AuthState s, String user, ByteString key, ByteString rangeEnd, boolean write) {
        if (!s.enabled()) {
            return;
        }
        knownUser(s, user);
        if (s.isRoot(user)) {
            return;
        }
        KeyPermissions p = s.permissionsOf(user);
        // the config center's keys change only through its service, which keeps their history
        // and audit: no permission lets another user write them directly
        if (write && ConfigKeys.touchesReserved(key, rangeEnd)) {
            throw ServerError.PERMISSION_DENIED.exception();
        }
        if (!(write ? p.canWrite(key, rangeEnd) : p.canRead(key, rangeEnd))) {
            throw ServerError.PERMISSION_DENIED.exception();
        }
    }

    /** As etcd: no user is "user name is empty"; an unknown one is denied. */
    private static boolean knownUser(AuthState s, String user) {
        if (user == null || user.isEmpty()) {
            throw ServerError.USER_EMPTY.exception();
        }
        if (s.user(user) == null) {
            throw ServerError.PERMISSION_DENIED.exception();
        }
        return true;
    }
}
