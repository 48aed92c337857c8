package io.cairn.server.node;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * A member's figures for Prometheus, read when scraped. Names follow etcd's where the meaning
 * is the same, so existing dashboards and alerts keep working (counters get their _total when
 * exported); Cairn's own start with cairn_.
 */
final class NodeMetrics {
    private NodeMetrics() {
    }

    static void register(PrometheusRegistry registry, CairnNode node) {
        gauge(registry, "etcd_server_has_leader", "Whether a leader is known (1) or not (0).",
                () -> node.raft().leader() == null ? 0 : 1);
        gauge(registry, "etcd_server_is_leader", "Whether this member is the leader (1) or not (0).",
                () -> node.raft().isLeader() ? 1 : 0);
        gauge(registry, "etcd_server_is_learner", "Whether this member is a learner (1) or not (0).",
                () -> node.isLearner() ? 1 : 0);
        counter(registry, "etcd_server_leader_changes_seen", "Leaders this member has seen come to power.",
                () -> node.raft().stateMachine().leaderChanges());
        gauge(registry, "cairn_raft_term", "The raft term this member is in.", () -> node.raft().term());
        counter(registry, "etcd_server_proposals_committed", "The raft index committed.",
                () -> node.raft().committedIndex());
        counter(registry, "etcd_server_proposals_applied", "The raft index applied.",
                () -> node.raft().appliedIndex());
        gauge(registry, "etcd_mvcc_db_total_size_in_bytes", "Bytes the database file takes.",
                () -> node.maintenance().status().getDbSize());
        gauge(registry, "etcd_mvcc_db_total_size_in_use_in_bytes", "Bytes of the database file in use.",
                () -> node.maintenance().status().getDbSizeInUse());
        gauge(registry, "cairn_mvcc_keys", "Keys in the keyspace, live or with history.",
                () -> node.store().indexedKeys());
        gauge(registry, "cairn_mvcc_revision", "The keyspace's current revision.", () -> node.store().currentRevision());
        gauge(registry, "cairn_mvcc_compacted_revision", "The revision of the last compaction.",
                () -> node.store().compactedRevision());
        gauge(registry, "cairn_watchers", "Active watchers.", () -> node.watches().size());
        gauge(registry, "cairn_watch_streams", "Open watch streams.", () -> node.watches().streams());
        gauge(registry, "cairn_leases", "Granted leases.", () -> node.leases().count());
        gauge(registry, "cairn_registry_instances", "Registered service instances.",
                () -> node.registryDuties().census().instances());
        gauge(registry, "cairn_registry_healthy_instances", "Registered service instances whose status is UP.",
                () -> node.registryDuties().census().healthy());
        gauge(registry, "cairn_registry_subscribers", "Registry subscriptions open on this member.",
                () -> node.registry().subscribers());
        counter(registry, "cairn_registry_registrations", "Instances registered (keys created), as applied here.",
                () -> node.registryStats().registrations());
        counter(registry, "cairn_registry_expirations", "Instances gone with their lease (expired or revoked), as applied here.",
                () -> node.registryStats().expirations());
        gauge(registry, "cairn_config_configs", "Configs that exist, in every namespace (counted at most every 5 s).",
                () -> node.configReads().configs());
        counter(registry, "cairn_config_versions", "Config versions written (publishes, deletes, rollbacks...), as applied here.",
                () -> node.configStats().versions());
        gauge(registry, "cairn_config_listeners", "Config listens open on this member.", () -> node.configReads().listeners());
        io.prometheus.metrics.core.metrics.Histogram push = io.prometheus.metrics.core.metrics.Histogram.builder()
                .name("cairn_config_push_seconds").help("From the leader's stamp on a version to its send to a listener here.")
                .classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5).register(registry);
        node.configStats().onPush(push::observe);
        gauge(registry, "cairn_auth_enabled", "Whether authentication is enabled (1) or not (0).",
                () -> node.auth().policy().enabled() ? 1 : 0);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }
}
