package io.cairn.server.node;

import com.google.protobuf.ByteString;
import io.cairn.api.discovery.DeregisterRequest;
import io.cairn.api.discovery.DeregisterResponse;
import io.cairn.api.discovery.GetServiceRequest;
import io.cairn.api.discovery.GetServiceResponse;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.InstanceKey;
import io.cairn.api.discovery.ListInstancesRequest;
import io.cairn.api.discovery.ListInstancesResponse;
import io.cairn.api.discovery.ListServicesRequest;
import io.cairn.api.discovery.ListServicesResponse;
import io.cairn.api.discovery.PutServiceRequest;
import io.cairn.api.discovery.PutServiceResponse;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.RegisterResponse;
import io.cairn.api.discovery.ServiceSettings;
import io.cairn.api.discovery.ServiceSummary;
import io.cairn.api.discovery.SubscribeRequest;
import io.cairn.api.discovery.UpdateRequest;
import io.cairn.api.discovery.UpdateResponse;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseTimeToLiveRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.server.discovery.InstanceCache;
import io.cairn.server.discovery.InstanceCodec;
import io.cairn.server.discovery.InstanceFilter;
import io.cairn.server.discovery.Registrations;
import io.cairn.server.discovery.RegistryKeys;
import io.cairn.server.discovery.RegistrySubscription;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.KeyRange;
import io.cairn.server.watch.WatchHub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Cairn's service registry, transport-free, over the KV and lease services: an instance is a key
 * holding JSON (see {@link RegistryKeys}), so every operation is a KV request, checked against the
 * caller's key-range permissions like any other; a registration with a TTL is one command that
 * grants the lease and writes the key.
 */
public final class RegistryServer implements AutoCloseable {
    static final int MAX_PAGE = 1000;
    private static final int UPDATE_ATTEMPTS = 5;

    private final KvServer kv;
    private final LeaseServer leases;
    private final WatchHub watches;
    private final AccessGate access;
    private final RaftNode raft;
    private final LongSupplier clockMs;
    private final InstanceCache instances;
    private final AtomicInteger subscribers = new AtomicInteger();
    /** Sends the subscriptions' heartbeats. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-registry-heartbeat");
        t.setDaemon(true);
        return t;
    });

    RegistryServer(KvServer kv, LeaseServer leases, WatchHub watches, AccessGate access, RaftNode raft,
                   LongSupplier clockMs, InstanceCache instances) {
        this.kv = kv;
        this.raft = raft;
        this.leases = leases;
        this.watches = watches;
        this.access = access;
        this.clockMs = clockMs;
        this.instances = instances;
    }

    public CompletableFuture<RegisterResponse> register(String user, RegisterRequest r) {
        Instance instance = Registrations.instance(r, clockMs.getAsLong());
        ByteString key = RegistryKeys.instance(instance.getNamespace(), instance.getService(), instance.getId());
        return switch (r.getLivenessCase()) {
            case TTL -> {
                LeaseGrantRequest grant = leases.stamp(LeaseGrantRequest.newBuilder().setTTL(r.getTtl()).build());
                Instance stored = instance.toBuilder().setLease(grant.getID()).build();
                yield kv.leasedTxn(user, grant, TxnRequest.newBuilder().addSuccess(put(key, stored)).build())
                        .thenApply(t -> registered(t.getHeader(), stored, grant.getTTL()));
            }
            case LEASE -> {
                Instance stored = instance.toBuilder().setLease(r.getLease()).build();
                yield kv.put(user, put(key, stored).getRequestPut())
                        .thenCompose(p -> leases.timeToLive(user, LeaseTimeToLiveRequest.newBuilder().setID(r.getLease()).build())
                                .thenApply(ttl -> registered(p.getHeader(), stored, Math.max(ttl.getGrantedTTL(), 0))));
            }
            default -> kv.put(user, put(key, instance).getRequestPut())
                    .thenApply(p -> registered(p.getHeader(), instance, 0));
        };
    }

    public CompletableFuture<DeregisterResponse> deregister(String user, DeregisterRequest r) {
        ByteString key = key(r.getKey());
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.GREATER).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)))
                .build();
        return kv.txn(user, txn).thenApply(t -> {
            if (!t.getSucceeded()) {
                throw ServerError.REGISTRY_NOT_FOUND.exception();
            }
            return DeregisterResponse.newBuilder().setHeader(t.getHeader()).build();
        });
    }

    /** A read, then a write on condition nothing changed in between; tried again if something did. */
    public CompletableFuture<UpdateResponse> update(String user, UpdateRequest r) {
        return update(user, r, key(r.getKey()), UPDATE_ATTEMPTS);
    }

    private CompletableFuture<UpdateResponse> update(String user, UpdateRequest r, ByteString key, int attempts) {
        return kv.range(user, RangeRequest.newBuilder().setKey(key).build()).thenCompose(read -> {
            Instance current = read.getKvsCount() == 0 ? null : instances.decode(r.getKey().getNamespace(), read.getKvs(0));
            if (current == null) {
                throw ServerError.REGISTRY_NOT_FOUND.exception();
            }
            Instance updated = Registrations.updated(current, r);
            TxnRequest txn = TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
                            .setResult(Compare.CompareResult.EQUAL).setModRevision(current.getRevision()))
                    .addSuccess(put(key, updated)).build();
            return kv.txn(user, txn).thenCompose(t -> {
                if (t.getSucceeded()) {
                    return CompletableFuture.completedFuture(UpdateResponse.newBuilder().setHeader(t.getHeader())
                            .setInstance(updated.toBuilder().setRevision(t.getHeader().getRevision())).build());
                }
                if (attempts <= 1) {
                    throw ServerError.REGISTRY_CONFLICT.exception();
                }
                return update(user, r, key, attempts - 1);
            });
        });
    }

    public CompletableFuture<ListInstancesResponse> listInstances(String user, ListInstancesRequest r) {
        String ns = RegistryKeys.checkName("namespace", r.getNamespace());
        String service = RegistryKeys.checkName("service", r.getService());
        ByteString prefix = RegistryKeys.servicePrefix(ns, service);
        TxnRequest both = TxnRequest.newBuilder()
                .addSuccess(range(prefix, KeyRange.prefixEnd(prefix), r.getSerializable()))
                .addSuccess(range(RegistryKeys.settings(ns, service), ByteString.EMPTY, r.getSerializable()))
                .build();
        return kv.txn(user, both).thenApply(t -> {
            List<Instance> found = decode(ns, t.getResponses(0).getResponseRange().getKvsList());
            List<KeyValue> settings = t.getResponses(1).getResponseRange().getKvsList();
            ServiceSettings s = settings.isEmpty() ? ServiceSettings.getDefaultInstance() : InstanceCodec.decodeSettings(settings.get(0));
            return InstanceFilter.select(found, s, r).setHeader(t.getHeader()).build();
        });
    }

    /** Services in name order, with their instance counts; a service with only settings counts too. */
    public CompletableFuture<ListServicesResponse> listServices(String user, ListServicesRequest r) {
        String ns = RegistryKeys.checkName("namespace", r.getNamespace());
        int pageSize = r.getPageSize() == 0 ? MAX_PAGE : Math.min(r.getPageSize(), MAX_PAGE);
        ByteString prefix = RegistryKeys.namespacePrefix(ns);
        return kv.range(user, range(prefix, KeyRange.prefixEnd(prefix), false).getRequestRange()).thenApply(read -> {
            Map<String, ServiceSummary.Builder> services = new TreeMap<>();
            for (KeyValue entry : read.getKvsList()) {
                RegistryKeys.Path path = RegistryKeys.parse(entry.getKey(), ns);
                if (path == null || path.service().compareTo(r.getPageToken()) <= 0) {
                    continue;
                }
                ServiceSummary.Builder summary = services.computeIfAbsent(path.service(), n -> ServiceSummary.newBuilder().setName(n));
                Instance instance = path.instanceId() == null ? null : instances.decode(ns, entry);
                if (instance != null) {
                    summary.setInstances(summary.getInstances() + 1);
                    if (InstanceFilter.healthy(instance)) {
                        summary.setHealthy(summary.getHealthy() + 1);
                    }
                }
            }
            ListServicesResponse.Builder resp = ListServicesResponse.newBuilder().setHeader(read.getHeader());
            for (ServiceSummary.Builder s : services.values()) {
                if (resp.getServicesCount() == pageSize) {
                    resp.setNextPageToken(resp.getServices(pageSize - 1).getName());
                    break;
                }
                resp.addServices(s);
            }
            return resp.build();
        });
    }

    public CompletableFuture<PutServiceResponse> putService(String user, PutServiceRequest r) {
        ByteString key = RegistryKeys.settings(RegistryKeys.checkName("namespace", r.getNamespace()),
                RegistryKeys.checkName("service", r.getService()));
        ServiceSettings settings = Registrations.settings(r.getSettings());
        return kv.put(user, PutRequest.newBuilder().setKey(key).setValue(InstanceCodec.encode(settings)).build())
                .thenApply(p -> PutServiceResponse.newBuilder().setHeader(p.getHeader()).build());
    }

    public CompletableFuture<GetServiceResponse> getService(String user, GetServiceRequest r) {
        ByteString key = RegistryKeys.settings(RegistryKeys.checkName("namespace", r.getNamespace()),
                RegistryKeys.checkName("service", r.getService()));
        return kv.range(user, RangeRequest.newBuilder().setKey(key).build()).thenApply(read -> {
            GetServiceResponse.Builder resp = GetServiceResponse.newBuilder().setHeader(read.getHeader());
            if (read.getKvsCount() > 0) {
                resp.setSettings(InstanceCodec.decodeSettings(read.getKvs(0)));
            }
            return resp.build();
        });
    }

    /** Starts a subscription that sends to {@code sink} until closed; see {@link RegistrySubscription}. */
    public RegistrySubscription subscribe(String user, SubscribeRequest r, io.cairn.server.watch.StreamSink<io.cairn.api.discovery.SubscribeResponse> sink) {
        String ns = RegistryKeys.checkName("namespace", r.getNamespace());
        ByteString prefix = RegistryKeys.servicePrefix(ns, RegistryKeys.checkName("service", r.getService()));
        ByteString end = KeyRange.prefixEnd(prefix);
        access.policy().checkRead(user, prefix, end);
        RegistrySubscription s = new RegistrySubscription(ns, prefix, end, sink, watches, instances,
                () -> kv.range(user, RangeRequest.newBuilder().setKey(prefix).setRangeEnd(end).build()),
                create -> {
                    try {
                        access.policy().checkRead(user, create.getKey(), create.getRangeEnd());
                        return null;
                    } catch (io.cairn.server.errors.ServerException e) {
                        return e.getMessage();
                    }
                }, subscribers, timer, () -> raft.leader() != null);
        s.start(r.getRevision());
        return s;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Subscriptions open on this member. */
    public int subscribers() {
        return subscribers.get();
    }

    private static ByteString key(InstanceKey k) {
        return RegistryKeys.instance(RegistryKeys.checkName("namespace", k.getNamespace()),
                RegistryKeys.checkName("service", k.getService()), RegistryKeys.checkName("instance id", k.getId()));
    }

    private static RequestOp put(ByteString key, Instance instance) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)
                .setValue(InstanceCodec.encode(instance)).setLease(instance.getLease())).build();
    }

    private static RequestOp range(ByteString key, ByteString end, boolean serializable) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key).setRangeEnd(end)
                .setSerializable(serializable)).build();
    }

    private List<Instance> decode(String ns, List<KeyValue> kvs) {
        List<Instance> out = new ArrayList<>(kvs.size());
        for (KeyValue entry : kvs) {
            Instance i = instances.decode(ns, entry);
            if (i != null) {
                out.add(i);
            }
        }
        return out;
    }

    private static RegisterResponse registered(ResponseHeader header, Instance stored, long ttl) {
        return RegisterResponse.newBuilder().setHeader(header)
                .setInstance(stored.toBuilder().setRevision(header.getRevision())).setTtl(ttl).build();
    }
}
