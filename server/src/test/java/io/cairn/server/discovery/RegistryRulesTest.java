package io.cairn.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.api.discovery.FlapDamping;
import io.cairn.api.discovery.HealthCheck;
import io.cairn.api.discovery.HttpCheck;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.InstanceChange;
import io.cairn.api.discovery.ListInstancesRequest;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.ServiceSettings;
import io.cairn.api.discovery.Status;
import io.cairn.api.discovery.UpdateRequest;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.KeyRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryRulesTest {
    @Test
    void aRegistrationGetsItsDefaultsAndAGeneratedIdWhenItHasNone() {
        Instance i = Registrations.instance(RegisterRequest.newBuilder()
                .setInstance(Instance.newBuilder().setNamespace("n").setService("s").setHost("h").setPort(1)
                        .setRevision(9).setLease(7).setFlapping(true))
                .setTtl(5).build(), 1234);
        assertThat(i.getId()).matches("[0-9a-f]{16}");
        assertThat(i.getWeight()).isEqualTo(100);
        assertThat(i.getStatus()).isEqualTo(Status.UP);
        assertThat(i.getRegisteredAtMs()).isEqualTo(1234);
        assertThat(i.getRevision()).isZero();
        assertThat(i.getLease()).as("the server, not the client, says which lease").isZero();
        assertThat(i.getFlapping()).as("the leader, not the client, marks flapping").isFalse();
    }

    @Test
    void flapDampingGetsItsDefaultsAndBadSettingsAreRefused() {
        ServiceSettings filled = Registrations.settings(ServiceSettings.newBuilder()
                .setFlapDamping(FlapDamping.newBuilder().setChanges(4)).build());
        assertThat(filled.getFlapDamping()).isEqualTo(FlapDamping.newBuilder().setChanges(4).setWindowMs(60_000)
                .setHoldMs(60_000).build());
        assertThat(Registrations.settings(ServiceSettings.newBuilder().setFlapDamping(FlapDamping.newBuilder()
                .setHoldMs(5)).build()).getFlapDamping().getChanges()).as("0 changes: off, whatever else it says").isZero();
        assertThatThrownBy(() -> Registrations.settings(ServiceSettings.newBuilder().setFlapDamping(
                FlapDamping.newBuilder().setChanges(101)).build())).hasMessageContaining("changes must be 1 to 100");
        assertThatThrownBy(() -> Registrations.settings(ServiceSettings.newBuilder().setFlapDamping(
                FlapDamping.newBuilder().setChanges(3).setWindowMs(999)).build())).hasMessageContaining("window and hold must be");
        assertThatThrownBy(() -> Registrations.settings(ServiceSettings.newBuilder().setFlapDamping(
                FlapDamping.newBuilder().setChanges(3).setHoldMs(-1)).build())).hasMessageContaining("window and hold must be");
    }

    @Test
    void aHealthCheckGetsItsDefaultsAndBadOnesAreRefused() {
        HealthCheck filled = Registrations.check(HealthCheck.newBuilder().setHttp(HttpCheck.newBuilder().setPath("/health")).build());
        assertThat(filled.getIntervalMs()).isEqualTo(5000);
        assertThat(filled.getTimeoutMs()).isEqualTo(2000);
        assertThat(filled.getFailureThreshold()).isEqualTo(3);
        assertThat(filled.getSuccessThreshold()).isEqualTo(1);
        assertThatThrownBy(() -> Registrations.check(HealthCheck.getDefaultInstance())).hasMessageContaining("needs a kind");
        assertThatThrownBy(() -> Registrations.check(HealthCheck.newBuilder().setHttp(HttpCheck.newBuilder().setPath("health"))
                .build())).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> Registrations.check(HealthCheck.newBuilder().setHttp(HttpCheck.getDefaultInstance())
                .setIntervalMs(1000).setTimeoutMs(2000).build())).hasMessageContaining("timeout must not exceed");
    }

    @Test
    void updatesReplaceOnlyWhatTheyName() {
        Instance current = Instance.newBuilder().setId("a").setWeight(3).addTags("x").putMetadata("k", "v")
                .setStatus(Status.UP).build();
        Instance kept = Registrations.updated(current, UpdateRequest.newBuilder().setStatus(Status.DOWN).build());
        assertThat(kept.getWeight()).isEqualTo(3);
        assertThat(kept.getTagsList()).containsExactly("x");
        assertThat(kept.getStatus()).isEqualTo(Status.DOWN);
        Instance cleared = Registrations.updated(current, UpdateRequest.newBuilder().setReplaceTags(true)
                .setReplaceMetadata(true).setWeight(0).build());
        assertThat(cleared.getTagsList()).isEmpty();
        assertThat(cleared.getMetadataMap()).isEmpty();
        assertThat(cleared.hasWeight()).isTrue();
        assertThat(cleared.getWeight()).isZero();
        assertThatThrownBy(() -> Registrations.settings(ServiceSettings.newBuilder().setProtectionThreshold(1.5).build()))
                .isInstanceOf(ServerException.class).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Registrations.settings(ServiceSettings.newBuilder().setProtectionThreshold(Double.NaN).build()))
                .hasMessageContaining("between 0 and 1");
    }

    @Test
    void keysNameTheirServiceAndInstanceAndOthersAreNotInstances() {
        assertThat(RegistryKeys.parse(utf8("/cairn/registry/n/s/i"), "n")).isEqualTo(new RegistryKeys.Path("s", "i"));
        assertThat(RegistryKeys.parse(utf8("/cairn/registry/n/s"), "n")).isEqualTo(new RegistryKeys.Path("s", null));
        assertThat(RegistryKeys.parse(utf8("/cairn/registry/n/s/i/x"), "n")).isNull();
        assertThat(RegistryKeys.parse(utf8("/cairn/registry/n2/s/i"), "n")).isNull();
        assertThat(KeyRange.prefixEnd(utf8("/a/")).toStringUtf8()).isEqualTo("/a0");
    }

    @Test
    void anyClientsJsonReadsLenientlyAndTheKeyNotTheValueNamesTheInstance() {
        Instance i = InstanceCodec.decode("n", kv("/cairn/registry/n/s/real", "{\"id\":\"fake\",\"host\":\"h\",\"port\":8,\"color\":\"red\"}", 42, 7));
        assertThat(i.getId()).isEqualTo("real");
        assertThat(i.getService()).isEqualTo("s");
        assertThat(i.getStatus()).isEqualTo(Status.UP);
        assertThat(i.getWeight()).isEqualTo(100);
        assertThat(i.getLease()).isEqualTo(42);
        assertThat(i.getRevision()).isEqualTo(7);
        assertThat(InstanceCodec.decode("n", kv("/cairn/registry/n/s/x", "not json", 0, 1))).isNull();
        Instance back = InstanceCodec.decode("n", kv("/cairn/registry/n/s/a", InstanceCodec.encode(i).toStringUtf8(), 42, 8));
        assertThat(back).isEqualTo(i.toBuilder().setId("a").setRevision(8).build());
    }

    @Test
    void theCacheAnswersOnlyForTheKeyValueItDecoded() {
        InstanceCache cache = new InstanceCache(10);
        KeyValue v1 = kv("/cairn/registry/n/s/a", "{\"host\":\"h\",\"port\":1}", 0, 2);
        Instance first = cache.decode("n", v1);
        assertThat(cache.decode("n", v1)).isSameAs(first);
        assertThat(cache.decode(v1)).isSameAs(first);
        assertThat(cache.decode("n2", v1)).isNull();
        // the same key at another revision (a value of the same size) is decoded again, never answered from the cache
        KeyValue v2 = kv("/cairn/registry/n/s/a", "{\"host\":\"h\",\"port\":2}", 0, 3);
        Instance second = cache.decode("n", v2);
        assertThat(second.getPort()).isEqualTo(2);
        // an update's previous and new values, as every subscriber decodes them, both stay decoded
        assertThat(cache.decode("n", v1)).isSameAs(first);
        assertThat(cache.decode("n", v2)).isSameAs(second);
        assertThat(cache.decode("n", v1.toBuilder().setLease(9).build()).getLease()).isEqualTo(9);
        assertThat(cache.decode("n", v1.toBuilder().setModRevision(4).setValue(utf8("garbage")).build())).isNull();
    }

    @Test
    void eventsBecomeAdditionsUpdatesAndRemovalsAndGarbageCountsAsNoInstance() {
        KeyValue v1 = kv("/cairn/registry/n/s/a", "{\"host\":\"h\",\"port\":1}", 0, 2);
        KeyValue v2 = kv("/cairn/registry/n/s/a", "{\"host\":\"h\",\"port\":2}", 0, 3);
        KeyValue garbage = kv("/cairn/registry/n/s/a", "oops", 0, 4);
        KeyValue gone = kv("/cairn/registry/n/s/a", "", 0, 5);
        List<InstanceChange> changes = InstanceChanges.of(new InstanceCache(10), "n", List.of(
                Event.newBuilder().setKv(v1).build(),
                Event.newBuilder().setKv(v2).setPrevKv(v1).build(),
                Event.newBuilder().setKv(garbage).setPrevKv(v2).build(),
                Event.newBuilder().setType(Event.EventType.DELETE).setKv(gone).setPrevKv(garbage).build()));
        assertThat(changes).extracting(c -> c.getType() + "@" + c.getRevision() + ":" + c.getInstance().getPort())
                .containsExactly("ADDED@2:1", "UPDATED@3:2", "REMOVED@4:2");
    }

    @Test
    void belowTheProtectionThresholdALookupAnswersEveryInstance() {
        List<Instance> all = List.of(Instance.newBuilder().setId("a").setStatus(Status.UP).build(),
                Instance.newBuilder().setId("b").setStatus(Status.DOWN).build(),
                Instance.newBuilder().setId("c").setStatus(Status.DOWN).build());
        ListInstancesRequest healthyOnly = ListInstancesRequest.getDefaultInstance();
        assertThat(InstanceFilter.select(all, ServiceSettings.getDefaultInstance(), healthyOnly).getInstancesCount()).isEqualTo(1);
        ServiceSettings half = ServiceSettings.newBuilder().setProtectionThreshold(0.5).build();
        assertThat(InstanceFilter.select(all, half, healthyOnly).getProtectionTriggered()).isTrue();
        assertThat(InstanceFilter.select(all, half, healthyOnly).getInstancesCount()).isEqualTo(3);
        ServiceSettings third = ServiceSettings.newBuilder().setProtectionThreshold(0.3).build();
        assertThat(InstanceFilter.select(all, third, healthyOnly).getInstancesCount()).isEqualTo(1);
    }

    private static KeyValue kv(String key, String value, long lease, long modRevision) {
        return KeyValue.newBuilder().setKey(utf8(key)).setValue(utf8(value)).setLease(lease).setModRevision(modRevision).build();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
