package io.cairn.server.node;

import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.apply.Applier;
import io.cairn.server.apply.BackendApplier;
import io.cairn.server.apply.CappedApplier;
import io.cairn.server.apply.KvApplier;
import io.cairn.server.apply.LeaseLookup;
import io.cairn.server.apply.RequestChecks;
import io.cairn.server.raft.CairnStateMachine;
import io.cairn.server.raft.RaftConfig;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.mvcc.MvccStore;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member, assembled: backend, keyspace, apply chain, raft, and the core services the
 * transport adapters call. Closing it stops raft before the backend.
 */
public final class CairnNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CairnNode.class);
    /** No lease exists until the lessor lands; a put naming one is refused as etcd refuses it. */
    private static final LeaseLookup NO_LEASES = id -> false;

    private final NodeConfig config;
    private final ClusterIdentity identity;
    private final DataDirLock lock;
    private final Backend backend;
    private final MvccStore store;
    private final RaftNode raft;
    private final ExecutorService reads;
    private final KvServer kv;
    private final MaintenanceServer maintenance;

    private CairnNode(NodeConfig config, ClusterIdentity identity, DataDirLock lock, Backend backend,
                      MvccStore store, AlarmStore alarms, KvApplier kvApplier, RaftNode raft,
                      ExecutorService reads) {
        this.config = config;
        this.identity = identity;
        this.lock = lock;
        this.backend = backend;
        this.store = store;
        this.raft = raft;
        this.reads = reads;
        Headers headers = new Headers(identity, raft, store);
        Quota quota = new Quota(backend, config.quotaBackendBytes(), identity.memberId(), raft);
        this.kv = new KvServer(store, raft, new RequestChecks(config.maxTxnOps()), kvApplier, quota,
                headers, reads, config.maxRequestBytes());
        this.maintenance = new MaintenanceServer(raft, backend, alarms, identity, headers);
    }

    public static CairnNode start(NodeConfig config) throws IOException {
        ClusterIdentity identity = ClusterIdentity.derive(
                config.name(), config.initialCluster(), config.initialClusterToken());
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        Backend backend;
        try {
            backend = Backend.open(config.dbDir(), config.quotaBackendBytes());
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            MvccStore store = MvccStore.open(backend);
            AlarmStore alarms = AlarmStore.load(backend);
            KvApplier kvApplier = new KvApplier(NO_LEASES);
            Applier applier = new CappedApplier(alarms, new BackendApplier(kvApplier, alarms));
            CairnStateMachine fsm = new CairnStateMachine(store, applier);
            log.info("Opened the keyspace at revision {} (compacted at {}, {} keys indexed, applied index {})",
                    store.currentRevision(), store.compactedRevision(), store.indexedKeys(), fsm.appliedIndex());
            RaftNode raft = RaftNode.start(raftConfig(config), fsm);
            ExecutorService reads = Executors.newFixedThreadPool(
                    Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), daemon("cairn-read"));
            return new CairnNode(config, identity, lock, backend, store, alarms, kvApplier, raft, reads);
        } catch (IOException | RuntimeException e) {
            backend.close();
            lock.close();
            throw e;
        }
    }

    private static RaftConfig raftConfig(NodeConfig config) {
        List<String> members = config.initialCluster().values().stream().map(CairnNode::hostPort).toList();
        return new RaftConfig(config.raftDir(), hostPort(config.advertisePeerUrl()), members,
                config.electionTimeoutMs(), config.heartbeatIntervalMs());
    }

    static String hostPort(URI url) {
        return url.getHost() + ":" + url.getPort();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public NodeConfig config() {
        return config;
    }

    public ClusterIdentity identity() {
        return identity;
    }

    public KvServer kv() {
        return kv;
    }

    public MaintenanceServer maintenance() {
        return maintenance;
    }

    public MvccStore store() {
        return store;
    }

    public RaftNode raft() {
        return raft;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            raft.close();
        } finally {
            reads.shutdown();
            reads.awaitTermination(5, TimeUnit.SECONDS);
            backend.close();
            lock.close();
        }
    }
}
