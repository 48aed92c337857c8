package io.cairn.client;

import io.cairn.api.discovery.GrpcCheck;
import io.cairn.api.discovery.HttpCheck;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.ListInstancesRequest;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.Status;
import io.cairn.api.discovery.TcpCheck;
import io.cairn.api.discovery.UpdateRequest;
import io.cairn.client.discovery.FlapDamping;
import io.cairn.client.discovery.HealthCheck;
import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.InstanceKey;
import io.cairn.client.discovery.InstanceQuery;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceSettings;
import io.cairn.client.discovery.ServiceSummary;
import java.time.Duration;
import java.time.Instant;

/** The registry's wire types, read into the SDK's discovery types and written from them. */
final class DiscoveryWire {
    /** What the registry stores for an instance registered without a weight. */
    static final int DEFAULT_WEIGHT = 100;

    private DiscoveryWire() {
    }

    static RegisterRequest register(RegistrationSpec spec) {
        Instance.Builder i = Instance.newBuilder()
                .setNamespace(spec.service().namespace()).setService(spec.service().service())
                .setHost(spec.host()).setPort(spec.port()).setWeight(spec.weight()).setZone(spec.zone())
                .addAllTags(spec.tags()).putAllMetadata(spec.metadata()).setStatus(status(spec.status()));
        if (spec.id() != null) {
            i.setId(spec.id());
        }
        RegisterRequest.Builder r = RegisterRequest.newBuilder().setInstance(i);
        switch (spec.liveness()) {
            case TTL -> r.setTtl(spec.ttl().toSeconds());
            case LEASE, SESSION -> r.setLease(spec.leaseId());
            case HEALTH_CHECK -> r.setCheck(check(spec.healthCheck()));
        }
        return r.build();
    }

    static io.cairn.api.discovery.InstanceKey key(InstanceKey key) {
        return io.cairn.api.discovery.InstanceKey.newBuilder()
                .setNamespace(key.namespace()).setService(key.service()).setId(key.id()).build();
    }

    static UpdateRequest update(InstanceKey key, InstanceUpdate u) {
        UpdateRequest.Builder r = UpdateRequest.newBuilder().setKey(key(key));
        u.status().ifPresent(s -> r.setStatus(status(s)));
        u.weight().ifPresent(r::setWeight);
        u.tags().ifPresent(tags -> r.setReplaceTags(true).addAllTags(tags));
        u.metadata().ifPresent(m -> r.setReplaceMetadata(true).putAllMetadata(m));
        return r.build();
    }

    static ListInstancesRequest lookup(InstanceQuery q) {
        return ListInstancesRequest.newBuilder()
                .setNamespace(q.service().namespace()).setService(q.service().service())
                .setAll(q.all()).setZone(q.zone()).addAllTags(q.tags()).putAllMetadata(q.metadata())
                .setSerializable(q.serializable()).build();
    }

    static ServiceInstance instance(Instance i) {
        return new ServiceInstance(i.getNamespace(), i.getService(), i.getId(), i.getHost(), i.getPort(),
                i.hasWeight() ? i.getWeight() : DEFAULT_WEIGHT, i.getZone(), i.getTagsList(), i.getMetadataMap(),
                status(i.getStatus()), i.getLease(), i.hasCheck() ? check(i.getCheck()) : null,
                Instant.ofEpochMilli(i.getRegisteredAtMs()), i.getRevision(), i.getFlapping());
    }

    static InstanceChange change(io.cairn.api.discovery.InstanceChange c) {
        InstanceChange.Type type = switch (c.getType()) {
            case ADDED -> InstanceChange.Type.ADDED;
            case UPDATED -> InstanceChange.Type.UPDATED;
            case REMOVED, UNRECOGNIZED -> InstanceChange.Type.REMOVED;
        };
        return new InstanceChange(type, instance(c.getInstance()), c.getRevision());
    }

    static ServiceSummary summary(io.cairn.api.discovery.ServiceSummary s) {
        return new ServiceSummary(s.getName(), s.getInstances(), s.getHealthy());
    }

    static ServiceSettings settings(io.cairn.api.discovery.ServiceSettings s) {
        io.cairn.api.discovery.FlapDamping d = s.getFlapDamping();
        return new ServiceSettings(s.getProtectionThreshold(), s.getMetadataMap(), d.getChanges() == 0 ? null
                : new FlapDamping(d.getChanges(), Duration.ofMillis(d.getWindowMs()), Duration.ofMillis(d.getHoldMs())));
    }

    static io.cairn.api.discovery.ServiceSettings settings(ServiceSettings s) {
        io.cairn.api.discovery.ServiceSettings.Builder b = io.cairn.api.discovery.ServiceSettings.newBuilder()
                .setProtectionThreshold(s.protectionThreshold()).putAllMetadata(s.metadata());
        FlapDamping d = s.flapDamping();
        if (d != null) {
            b.setFlapDamping(io.cairn.api.discovery.FlapDamping.newBuilder().setChanges(d.changes())
                    .setWindowMs((int) d.window().toMillis()).setHoldMs((int) d.hold().toMillis()));
        }
        return b.build();
    }

    static Status status(InstanceStatus s) {
        return switch (s) {
            case UP -> Status.UP;
            case DOWN -> Status.DOWN;
            case OUT_OF_SERVICE -> Status.OUT_OF_SERVICE;
        };
    }

    /** A value written by any etcd client may lack a status: the registry reads that as UP; one it does not know is not UP. */
    static InstanceStatus status(Status s) {
        return switch (s) {
            case UP, STATUS_UNSPECIFIED -> InstanceStatus.UP;
            case DOWN, UNRECOGNIZED -> InstanceStatus.DOWN;
            case OUT_OF_SERVICE -> InstanceStatus.OUT_OF_SERVICE;
        };
    }

    static io.cairn.api.discovery.HealthCheck check(HealthCheck c) {
        io.cairn.api.discovery.HealthCheck.Builder b = io.cairn.api.discovery.HealthCheck.newBuilder()
                .setIntervalMs(Math.toIntExact(c.interval().toMillis())).setTimeoutMs(Math.toIntExact(c.timeout().toMillis()))
                .setFailureThreshold(c.failureThreshold()).setSuccessThreshold(c.successThreshold());
        switch (c.kind()) {
            case TCP -> b.setTcp(TcpCheck.getDefaultInstance());
            case HTTP -> b.setHttp(HttpCheck.newBuilder().setPath(c.target()));
            case GRPC -> b.setGrpc(GrpcCheck.newBuilder().setService(c.target()));
        }
        return b.build();
    }

    /** The server's check, its unset numbers read as the registry's defaults. */
    static HealthCheck check(io.cairn.api.discovery.HealthCheck c) {
        HealthCheck check = switch (c.getKindCase()) {
            case HTTP -> HealthCheck.http(c.getHttp().getPath().startsWith("/") ? c.getHttp().getPath() : "/" + c.getHttp().getPath());
            case GRPC -> HealthCheck.grpc(c.getGrpc().getService());
            case TCP, KIND_NOT_SET -> HealthCheck.tcp();
        };
        if (c.getIntervalMs() > 0) {
            check = check.withInterval(Duration.ofMillis(c.getIntervalMs()));
        }
        if (c.getTimeoutMs() > 0) {
            check = check.withTimeout(Duration.ofMillis(c.getTimeoutMs()));
        }
        if (c.getFailureThreshold() > 0) {
            check = check.withFailureThreshold(c.getFailureThreshold());
        }
        if (c.getSuccessThreshold() > 0) {
            check = check.withSuccessThreshold(c.getSuccessThreshold());
        }
        return check;
    }
}
