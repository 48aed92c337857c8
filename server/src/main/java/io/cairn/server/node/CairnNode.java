package io.cairn.server.node;

import io.cairn.api.etcd.Member;
import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.concurrent.DaemonThreads;
import io.cairn.server.config.ConfigStats;
import io.cairn.server.apply.Applier;
import io.cairn.server.apply.KvApplier;
import io.cairn.server.apply.RequestChecks;
import io.cairn.server.auth.AuthStore;
import io.cairn.server.auth.LoginThrottle;
import io.cairn.server.auth.Passwords;
import io.cairn.server.auth.Tokens;
import io.cairn.server.discovery.InstanceCache;
import io.cairn.server.discovery.RegistryStats;
import io.cairn.server.lease.LeaseStore;
import io.cairn.server.lease.Lessor;
import io.cairn.server.membership.MemberStore;
import io.cairn.server.raft.CairnStateMachine;
import io.cairn.server.raft.RaftConfig;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.raft.SnapshotPolicy;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.FileSync;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.time.WallClock;
import io.cairn.server.watch.WatchHub;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member, assembled: backend, keyspace, apply chain, raft, and the core services the
 * transport adapters call. Closing it stops raft before the backend.
 */
public final class CairnNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CairnNode.class);

    /** What the apply chain works on, opened before raft starts. */
    private record State(Backend backend, MvccStore store, AlarmStore alarms, MemberStore members,
                         LeaseStore leases, Lessor lessor, KvApplier kv, CairnStateMachine fsm,
                         java.util.concurrent.atomic.AtomicReference<Runnable> watchRestore,
                         AuthStore auth, Tokens tokens, RegistryStats registryStats) {
    }

    /** etcd's interval for progress notifications to idle watchers that asked for them. */
    private static final long WATCH_PROGRESS_MS = 10 * 60 * 1000;
    /** Decoded registry instances kept: some 20 MB at about 1 KB each. */
    private static final long INSTANCE_CACHE_ENTRIES = 20_000;

    private final NodeConfig config;
    private final DataDirLock lock;
    private final State state;
    private final RaftNode raft;
    private final Membership membership;
    private final MembershipDuties duties;
    private final ExecutorService reads;
    private final KvServer kv;
    private final MaintenanceServer maintenance;
    private final ClusterServer cluster;
    private final LeaseServer leases;
    private final LeaseDuties leaseDuties;
    private final CompactionDuties compactionDuties;
    private final WatchHub watches;
    private final AuthServer auth;
    private final LockServer locks;
    private final ElectionServer elections;
    private final RegistryServer registry;
    private final RegistryDuties registryDuties;
    private final ConfigServer configs;
    private final ConfigReads configReads;
    private final ConfigStats configStats = new ConfigStats();
    private final LoginThrottle logins;
    private final io.prometheus.metrics.model.registry.PrometheusRegistry metrics =
            new io.prometheus.metrics.model.registry.PrometheusRegistry();

    private CairnNode(NodeConfig config, DataDirLock lock, State state, RaftNode raft, Runnable onRemoved) {
        this.config = config;
        this.lock = lock;
        this.state = state;
        this.raft = raft;
        this.membership = new Membership(state.members(), config);
        this.duties = new MembershipDuties(raft, membership, config, onRemoved);
        duties.learnIdBeforeServing(); // lease ids carry it
        if (config.strictReconfigCheck()) {
            Supplier<List<Member>> table = membership::members;
            Supplier<RaftNode.Peers> peers = raft::peers; // made once: every proposal passes the check
            raft.admitProposals(command -> ReconfigurationCheck.refusal(command, table, peers));
        }
        this.reads = Executors.newFixedThreadPool(
                Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), DaemonThreads.named("cairn-read"));
        Headers headers = new Headers(membership, raft, state.store());
        this.logins = new LoginThrottle(2, 64);
        this.auth = new AuthServer(state.auth(), state.tokens(), new Passwords(config.auth().bcryptCost()), logins,
                raft, headers, reads);
        Quota quota = new Quota(state.backend(), config.quotaBackendBytes(), membership, raft);
        this.kv = new KvServer(state.store(), raft, new RequestChecks(config.maxTxnOps()), state.kv(), quota,
                headers, reads, config.maxRequestBytes(), auth.gate());
        this.maintenance = new MaintenanceServer(raft, state.backend(), state.store(), state.alarms(), membership,
                headers, config.dataDir().resolve("member").resolve("tmp"), 3L * config.electionTimeoutMs());
        this.cluster = new ClusterServer(raft, membership, headers, config.initialClusterToken(), duties::poke);
        this.leases = new LeaseServer(raft, state.leases(), state.lessor(), headers,
                LeaseServer.minTtl(config.electionTimeoutMs()), membership.localId(), auth.gate());
        this.leaseDuties = new LeaseDuties(raft, state.lessor(), config.leaseCheckpointIntervalMs());
        this.compactionDuties = new CompactionDuties(config.autoCompaction(), raft, state.store(), state.alarms(), quota,
                () -> System.nanoTime() / 1_000_000);
        this.watches = new WatchHub(state.store(), headers::complete, config.maxRequestBytes(), WATCH_PROGRESS_MS);
        KeyQueue queues = new KeyQueue(kv, watches, reads);
        this.locks = new LockServer(queues, kv);
        this.elections = new ElectionServer(queues, kv, headers);
        InstanceCache instances = new InstanceCache(INSTANCE_CACHE_ENTRIES);
        this.registry = new RegistryServer(kv, leases, watches, auth.gate(), raft, WallClock::nowMs, instances);
        this.registryDuties = new RegistryDuties(state.store(), raft, instances);
        ConfigSecrets secrets = new ConfigSecrets(new io.cairn.server.secrets.DataKeys(config.masterKey()), auth.gate(), kv);
        this.configs = new ConfigServer(kv, headers, auth.gate(), config.configLimits(), config.maxRequestBytes(), secrets);
        this.configReads = new ConfigReads(kv, headers, auth.gate(), watches, raft, configStats, secrets);
        state.fsm().onCommitted(events -> {
            watches.notify(events);
            state.registryStats().committed(events);
            configStats.committed(events);
        });
        state.fsm().onFailure(why -> watches.stopServing(io.cairn.server.errors.ServerError.STOPPED.text()));
        NodeMetrics.register(metrics, this);
        state.watchRestore().set(watches::storeReplaced);
        state.fsm().onLeadership(leader -> {
            compactionDuties.leadership(leader);
            registryDuties.leadership(leader);
            if (leader) {
                state.lessor().promote();
            } else {
                state.lessor().demote();
            }
        });
    }

    /**
     * Starts a member.
     *
     * @param onRemoved called (once, from a background thread) when this member learns that
     *                  it was removed from the cluster; the launcher stops the process
     */
    public static CairnNode start(NodeConfig config, Runnable onRemoved) throws IOException {
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        State state;
        try {
            state = open(config);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            if (config.peerTls().enabled()) {
                io.cairn.server.tls.PeerTls.install(config.peerTls(), config.dataDir().resolve("member").resolve("tls"));
            }
            RaftNode raft = RaftNode.start(raftConfig(config), state.fsm());
            CairnNode node = new CairnNode(config, lock, state, raft, onRemoved);
            node.duties.start();
            node.leaseDuties.start();
            node.compactionDuties.start();
            node.registryDuties.start();
            return node;
        } catch (IOException | RuntimeException e) {
            state.store().close();
            state.backend().close();
            lock.close();
            throw e;
        }
    }

    private static State open(NodeConfig config) throws IOException {
        Path scratch = config.dataDir().resolve("member").resolve("tmp");
        deleteTree(scratch); // scratch left by a crash
        NativeLibraries.placeIn(scratch.resolve("native"));
        Backend backend = Backend.open(config.dbDir(), config.quotaBackendBytes());
        MvccStore store = MvccStore.open(backend);
        try {
            AlarmStore alarms = AlarmStore.load(backend);
            MemberStore members = MemberStore.load(backend);
            java.util.concurrent.atomic.AtomicReference<Runnable> watchRestore = new java.util.concurrent.atomic.AtomicReference<>(() -> { });
            LeaseStore leases = new LeaseStore();
            RegistryStats registryStats = new RegistryStats();
            leases.reload(backend, store.liveKeyValues());
            Lessor lessor = new Lessor(leases, System::nanoTime, config.electionTimeoutMs());
            KvApplier kv = new KvApplier(leases);
            AuthStore auth = AuthStore.load(backend);
            Tokens tokens = config.auth().tokens();
            Applier applier = ApplyChain.of(kv, alarms, members, leases, lessor, auth, tokens, registryStats::leaseDeleted);
            SnapshotPolicy snapshots = new SnapshotPolicy(config.snapshotCount(), config.maxSnapshots(),
                    config.raftDir().resolve("snapshot-archive"));
            CairnStateMachine fsm = new CairnStateMachine(store, applier,
                    new NodeSnapshots(backend, store, alarms, members, () -> {
                        leases.reload(backend, store.liveKeyValues());
                        auth.reload(backend);
                        if (lessor.isPrimary()) {
                            lessor.promote();
                        }
                        watchRestore.get().run();
                    }), snapshots, FileSync.DISK);
            log.info("Opened the keyspace at revision {} (compacted at {}, {} keys indexed, applied index {})",
                    store.currentRevision(), store.compactedRevision(), store.indexedKeys(), fsm.appliedIndex());
            return new State(backend, store, alarms, members, leases, lessor, kv, fsm, watchRestore, auth, tokens, registryStats);
        } catch (IOException | RuntimeException e) {
            store.close();
            backend.close();
            throw e;
        }
    }

    /** A member joining an existing cluster starts with no configuration and learns it from the leader. */
    private static RaftConfig raftConfig(NodeConfig config) {
        List<String> members = config.initialClusterState().equals("new") ? initialRaftMembers(config) : List.of();
        return new RaftConfig(config.raftDir(), Membership.hostPort(config.advertisePeerUrl().toString()), members,
                config.electionTimeoutMs(), config.heartbeatIntervalMs());
    }

    /** The first members of a new cluster, as raft names them (host:port). */
    static List<String> initialRaftMembers(NodeConfig config) {
        return config.initialCluster().values().stream().map(u -> Membership.hostPort(u.toString())).toList();
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    public static void deleteTree(java.nio.file.Path dir) throws IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public NodeConfig config() {
        return config;
    }

    /** This member's id, or 0 while a joining member has not learned it. */
    public long memberId() {
        return membership.localId();
    }

    /** Whether this member is a raft learner (then it serves only status and serializable reads). */
    public boolean isLearner() {
        return membership.isLearner();
    }

    public long clusterId() {
        return membership.clusterId();
    }

    public KvServer kv() {
        return kv;
    }

    public MaintenanceServer maintenance() {
        return maintenance;
    }

    public ClusterServer cluster() {
        return cluster;
    }

    public WatchHub watches() {
        return watches;
    }

    /** Where this member's figures are kept, for /metrics. */
    public io.prometheus.metrics.model.registry.PrometheusRegistry metrics() {
        return metrics;
    }

    public LockServer locks() {
        return locks;
    }

    public ElectionServer elections() {
        return elections;
    }

    public RegistryStats registryStats() {
        return state.registryStats();
    }

    RegistryDuties registryDuties() {
        return registryDuties;
    }

    public RegistryServer registry() {
        return registry;
    }

    public ConfigServer configs() {
        return configs;
    }

    public ConfigReads configReads() {
        return configReads;
    }

    public ConfigStats configStats() {
        return configStats;
    }

    public AuthServer auth() {
        return auth;
    }

    public LeaseServer leases() {
        return leases;
    }

    public MvccStore store() {
        return state.store();
    }

    public RaftNode raft() {
        return raft;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            duties.close();
            leaseDuties.close();
            compactionDuties.close();
            registryDuties.close();
            registry.close();
            configReads.close();
            raft.close();
            watches.close();
            logins.close();
        } finally {
            reads.shutdown();
            reads.awaitTermination(5, TimeUnit.SECONDS);
            state.store().close();
            state.backend().close();
            lock.close();
        }
    }
}
