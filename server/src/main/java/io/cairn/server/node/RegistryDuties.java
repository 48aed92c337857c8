package io.cairn.server.node;

import com.google.protobuf.ByteString;
import io.cairn.api.discovery.FlapDamping;
import io.cairn.api.discovery.HealthCheck;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.ServiceSettings;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.server.apply.Ranges;
import io.cairn.server.command.Command;
import io.cairn.server.discovery.HealthChecker;
import io.cairn.server.discovery.HealthProbes;
import io.cairn.server.discovery.InstanceCache;
import io.cairn.server.discovery.InstanceCodec;
import io.cairn.server.discovery.InstanceFilter;
import io.cairn.server.discovery.Registrations;
import io.cairn.server.discovery.RegistryKeys;
import io.cairn.server.errors.ServerException;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.KeyRange;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.TxnRead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The registry's background work on the leader: the active health checks of persistent instances. */
final class RegistryDuties implements AutoCloseable {
    private static final int PROBE_THREADS = 16;

    private final MvccStore store;
    private final InstanceCache instances;
    private final ExecutorService probeThreads = Executors.newFixedThreadPool(PROBE_THREADS, r -> {
        Thread t = new Thread(r, "cairn-health-probe");
        t.setDaemon(true);
        return t;
    });
    private final HealthProbes probes = new HealthProbes(probeThreads);
    private final HealthChecker checker;
    /** The gRPC-checked addresses of the last scan, so their channels are kept and others closed. */
    private volatile Set<String> grpcAddresses = Set.of();
    private Census lastCensus;
    private long lastCensusNanos;

    RegistryDuties(MvccStore store, RaftNode raft, InstanceCache instances) {
        this.store = store;
        this.instances = instances;
        this.checker = new HealthChecker(this::checkedInstances,
                txn -> raft.propose(Command.newBuilder().setTxn(txn).build()).thenApply(TxnResponse.class::cast),
                probes::probe, () -> probes.retain(grpcAddresses),
                () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
    }

    void start() {
        checker.start();
    }

    void leadership(boolean leader) {
        checker.leadership(leader);
    }

    /** Instances in this member's keyspace, and how many of them are healthy (UP). */
    record Census(long instances, long healthy) {
    }

    /** Read at most once a second, however many gauges ask. */
    synchronized Census census() {
        long now = System.nanoTime();
        if (lastCensus == null || now - lastCensusNanos > TimeUnit.SECONDS.toNanos(1)) {
            lastCensus = countInstances();
            lastCensusNanos = now;
        }
        return lastCensus;
    }

    private Census countInstances() {
        long count = 0;
        long healthy = 0;
        for (KeyValue kv : registryKeys()) {
            Instance i = instances.decode(kv);
            if (i != null) {
                count++;
                healthy += InstanceFilter.healthy(i) ? 1 : 0;
            }
        }
        return new Census(count, healthy);
    }

    private List<KeyValue> registryKeys() {
        ByteString root = ByteString.copyFromUtf8(RegistryKeys.ROOT);
        try (TxnRead view = store.read()) {
            return Ranges.range(view, RangeRequest.newBuilder().setKey(root).setRangeEnd(KeyRange.prefixEnd(root)).build())
                    .getKvsList();
        }
    }

    /** Persistent instances with a check, and their services' flap damping, read from this member's keyspace. */
    private List<HealthChecker.Checked> checkedInstances() {
        List<HealthChecker.Checked> checked = new ArrayList<>();
        Set<String> grpc = new HashSet<>();
        List<KeyValue> keys = registryKeys();
        Map<ByteString, FlapDamping> damping = flapDamping(keys);
        for (KeyValue kv : keys) {
            Instance i = kv.getLease() == 0 ? instances.decode(kv) : null;
            if (i != null && i.hasCheck()) {
                // a value written by hand skipped the registry's checks: its check is taken as
                // the registry would have stored it, or not run at all
                try {
                    i = i.toBuilder().setCheck(Registrations.check(i.getCheck())).build();
                } catch (ServerException e) {
                    continue;
                }
                checked.add(new HealthChecker.Checked(i, damping.get(RegistryKeys.settings(i.getNamespace(), i.getService()))));
                if (i.getCheck().getKindCase() == HealthCheck.KindCase.GRPC) {
                    grpc.add(HealthProbes.address(i));
                }
            }
        }
        grpcAddresses = grpc;
        return checked;
    }

    /** By settings key, the services that damp flapping (a hand-written setting that is not valid damps nothing). */
    private static Map<ByteString, FlapDamping> flapDamping(List<KeyValue> keys) {
        Map<ByteString, FlapDamping> damping = new HashMap<>();
        for (KeyValue kv : keys) {
            String namespace = RegistryKeys.namespaceOf(kv.getKey());
            RegistryKeys.Path path = namespace == null ? null : RegistryKeys.parse(kv.getKey(), namespace);
            if (path == null || path.instanceId() != null) {
                continue;
            }
            ServiceSettings settings = InstanceCodec.decodeSettings(kv);
            if (settings.getFlapDamping().getChanges() > 0) {
                try {
                    damping.put(kv.getKey(), Registrations.flapDamping(settings.getFlapDamping()));
                } catch (ServerException e) {
                    // written by hand past the registry's checks: no damping
                }
            }
        }
        return damping;
    }

    @Override
    public void close() throws InterruptedException {
        checker.close();
        probes.close();
        probeThreads.shutdownNow();
        probeThreads.awaitTermination(2, TimeUnit.SECONDS);
    }
}
