package io.cairn.server.api;

import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.api.etcd.AuthGrpc;
import io.cairn.api.etcd.ClusterGrpc;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.MaintenanceGrpc;
import io.cairn.api.etcd.WatchGrpc;
import io.grpc.MethodDescriptor;
import java.util.HashMap;
import java.util.Map;

/** etcd's gateway paths (POST, JSON) and the gRPC method each one stands for. */
final class GatewayRoutes {
    private static final Map<String, MethodDescriptor<?, ?>> ROUTES = new HashMap<>();

    static {
        route("/v3/kv/range", KVGrpc.getRangeMethod());
        route("/v3/kv/put", KVGrpc.getPutMethod());
        route("/v3/kv/deleterange", KVGrpc.getDeleteRangeMethod());
        route("/v3/kv/txn", KVGrpc.getTxnMethod());
        route("/v3/kv/compaction", KVGrpc.getCompactMethod());
        route("/v3/watch", WatchGrpc.getWatchMethod());
        route("/v3/lease/grant", LeaseGrpc.getLeaseGrantMethod());
        route("/v3/lease/revoke", LeaseGrpc.getLeaseRevokeMethod());
        route("/v3/kv/lease/revoke", LeaseGrpc.getLeaseRevokeMethod());
        route("/v3/lease/keepalive", LeaseGrpc.getLeaseKeepAliveMethod());
        route("/v3/lease/timetolive", LeaseGrpc.getLeaseTimeToLiveMethod());
        route("/v3/kv/lease/timetolive", LeaseGrpc.getLeaseTimeToLiveMethod());
        route("/v3/lease/leases", LeaseGrpc.getLeaseLeasesMethod());
        route("/v3/kv/lease/leases", LeaseGrpc.getLeaseLeasesMethod());
        route("/v3/cluster/member/add", ClusterGrpc.getMemberAddMethod());
        route("/v3/cluster/member/remove", ClusterGrpc.getMemberRemoveMethod());
        route("/v3/cluster/member/update", ClusterGrpc.getMemberUpdateMethod());
        route("/v3/cluster/member/list", ClusterGrpc.getMemberListMethod());
        route("/v3/cluster/member/promote", ClusterGrpc.getMemberPromoteMethod());
        route("/v3/maintenance/alarm", MaintenanceGrpc.getAlarmMethod());
        route("/v3/maintenance/status", MaintenanceGrpc.getStatusMethod());
        route("/v3/maintenance/defragment", MaintenanceGrpc.getDefragmentMethod());
        route("/v3/maintenance/hash", MaintenanceGrpc.getHashMethod());
        route("/v3/maintenance/hashkv", MaintenanceGrpc.getHashKVMethod());
        route("/v3/maintenance/snapshot", MaintenanceGrpc.getSnapshotMethod());
        route("/v3/maintenance/transfer-leadership", MaintenanceGrpc.getMoveLeaderMethod());
        route("/v3/lock/lock", io.cairn.api.etcd.LockGrpc.getLockMethod());
        route("/v3/lock/unlock", io.cairn.api.etcd.LockGrpc.getUnlockMethod());
        route("/v3/election/campaign", io.cairn.api.etcd.ElectionGrpc.getCampaignMethod());
        route("/v3/election/proclaim", io.cairn.api.etcd.ElectionGrpc.getProclaimMethod());
        route("/v3/election/leader", io.cairn.api.etcd.ElectionGrpc.getLeaderMethod());
        route("/v3/election/observe", io.cairn.api.etcd.ElectionGrpc.getObserveMethod());
        route("/v3/election/resign", io.cairn.api.etcd.ElectionGrpc.getResignMethod());
        route("/v3/auth/enable", AuthGrpc.getAuthEnableMethod());
        route("/v3/auth/disable", AuthGrpc.getAuthDisableMethod());
        route("/v3/auth/status", AuthGrpc.getAuthStatusMethod());
        route("/v3/auth/authenticate", AuthGrpc.getAuthenticateMethod());
        route("/v3/auth/user/add", AuthGrpc.getUserAddMethod());
        route("/v3/auth/user/get", AuthGrpc.getUserGetMethod());
        route("/v3/auth/user/list", AuthGrpc.getUserListMethod());
        route("/v3/auth/user/delete", AuthGrpc.getUserDeleteMethod());
        route("/v3/auth/user/changepw", AuthGrpc.getUserChangePasswordMethod());
        route("/v3/auth/user/grant", AuthGrpc.getUserGrantRoleMethod());
        route("/v3/auth/user/revoke", AuthGrpc.getUserRevokeRoleMethod());
        route("/v3/auth/role/add", AuthGrpc.getRoleAddMethod());
        route("/v3/auth/role/get", AuthGrpc.getRoleGetMethod());
        route("/v3/auth/role/list", AuthGrpc.getRoleListMethod());
        route("/v3/auth/role/delete", AuthGrpc.getRoleDeleteMethod());
        route("/v3/auth/role/grant", AuthGrpc.getRoleGrantPermissionMethod());
        route("/v3/auth/role/revoke", AuthGrpc.getRoleRevokePermissionMethod());
        // Cairn's registry, for clients without the SDK; a heartbeat is a keep-alive of the lease
        route("/v1/registry/register", RegistryGrpc.getRegisterMethod());
        route("/v1/registry/deregister", RegistryGrpc.getDeregisterMethod());
        route("/v1/registry/update", RegistryGrpc.getUpdateMethod());
        route("/v1/registry/heartbeat", LeaseGrpc.getLeaseKeepAliveMethod());
        route("/v1/registry/services", RegistryGrpc.getListServicesMethod());
        route("/v1/registry/instances", RegistryGrpc.getListInstancesMethod());
        route("/v1/registry/subscribe", RegistryGrpc.getSubscribeMethod());
        route("/v1/registry/service/put", RegistryGrpc.getPutServiceMethod());
        route("/v1/registry/service/get", RegistryGrpc.getGetServiceMethod());
        // the config center; a listen streams one JSON object per line, as a watch does
        route("/v1/config/namespace/create", ConfigGrpc.getCreateNamespaceMethod());
        route("/v1/config/namespace/list", ConfigGrpc.getListNamespacesMethod());
        route("/v1/config/namespace/describe", ConfigGrpc.getDescribeNamespaceMethod());
        route("/v1/config/namespace/delete", ConfigGrpc.getDeleteNamespaceMethod());
        route("/v1/config/publish", ConfigGrpc.getPublishMethod());
        route("/v1/config/get", ConfigGrpc.getGetMethod());
        route("/v1/config/list", ConfigGrpc.getListMethod());
        route("/v1/config/delete", ConfigGrpc.getDeleteMethod());
        route("/v1/config/history", ConfigGrpc.getHistoryMethod());
        route("/v1/config/diff", ConfigGrpc.getDiffMethod());
        route("/v1/config/rollback", ConfigGrpc.getRollbackMethod());
        route("/v1/config/listen", ConfigGrpc.getListenMethod());
        route("/v1/config/schema", ConfigGrpc.getSetSchemaMethod());
        route("/v1/config/gray/start", ConfigGrpc.getStartGrayMethod());
        route("/v1/config/gray/get", ConfigGrpc.getGetGrayMethod());
        route("/v1/config/listeners", ConfigGrpc.getListenersMethod());
        route("/v1/config/gray/promote", ConfigGrpc.getPromoteGrayMethod());
        route("/v1/config/gray/abort", ConfigGrpc.getAbortGrayMethod());
        route("/v1/config/export", ConfigGrpc.getExportMethod());
        route("/v1/config/import", ConfigGrpc.getImportMethod());
        route("/v1/config/audit", ConfigGrpc.getAuditMethod());
        route("/v1/config/report", ConfigGrpc.getReportMethod());
        route("/v1/config/status", ConfigGrpc.getStatusMethod());
        route("/v1/config/namespace/update", ConfigGrpc.getUpdateNamespaceMethod());
        route("/v1/config/drafts", ConfigGrpc.getListDraftsMethod());
        route("/v1/config/draft/get", ConfigGrpc.getGetDraftMethod());
        route("/v1/config/draft/review", ConfigGrpc.getReviewDraftMethod());
        route("/v1/config/secrets/rotate", ConfigGrpc.getRotateSecretsMethod());
    }

    private GatewayRoutes() {
    }

    private static void route(String path, MethodDescriptor<?, ?> method) {
        ROUTES.put(path, method);
    }

    /** The method of a path; etcd's older /v3beta/ and /v3alpha/ prefixes are accepted too. */
    static MethodDescriptor<?, ?> method(String path) {
        String p = path.replaceFirst("^/v3(beta|alpha)/", "/v3/");
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return ROUTES.get(p);
    }
}
