package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.Status;
import io.cairn.api.discovery.UpdateRequest;
import io.cairn.client.discovery.FlapDamping;
import io.cairn.client.discovery.HealthCheck;
import io.cairn.client.discovery.InstanceKey;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.InstanceUpdate;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's discovery types on the wire and back. */
class DiscoveryWireTest {
    @Test
    void aSpecBecomesOneRegisterRequestWithItsWayToStayAlive() {
        RegistrationSpec.Builder b = RegistrationSpec.builder("orders").namespace("prod").address("10.0.0.5", 8080)
                .weight(50).zone("eu-1").tags("v2", "canary").metadata("version", "2");
        RegisterRequest ttl = DiscoveryWire.register(b.build());
        assertThat(ttl.getInstance().getNamespace()).isEqualTo("prod");
        assertThat(ttl.getInstance().getId()).isEmpty();
        assertThat(ttl.getInstance().getWeight()).isEqualTo(50);
        assertThat(ttl.getInstance().getTagsList()).containsExactly("v2", "canary");
        assertThat(ttl.getInstance().getStatus()).isEqualTo(Status.UP);
        assertThat(ttl.getLivenessCase()).isEqualTo(RegisterRequest.LivenessCase.TTL);
        assertThat(ttl.getTtl()).isEqualTo(10);

        RegisterRequest leased = DiscoveryWire.register(b.id("o-1").lease(42).build());
        assertThat(leased.getInstance().getId()).isEqualTo("o-1");
        assertThat(leased.getLease()).isEqualTo(42);

        RegisterRequest checked = DiscoveryWire.register(RegistrationSpec.builder("db").address("db.local", 5432)
                .healthCheck(HealthCheck.tcp().withInterval(Duration.ofSeconds(1))).build());
        assertThat(checked.getCheck().hasTcp()).isTrue();
        assertThat(checked.getCheck().getIntervalMs()).isEqualTo(1000);
        assertThat(checked.getCheck().getTimeoutMs()).isEqualTo(2000);
        assertThat(checked.getCheck().getFailureThreshold()).isEqualTo(3);
    }

    @Test
    void anInstanceWrittenByHandReadsWithTheRegistrysDefaults() {
        ServiceInstance i = DiscoveryWire.instance(Instance.newBuilder().setNamespace("prod").setService("orders")
                .setId("x").setHost("h").setPort(1).setRegisteredAtMs(1000).setRevision(9).build());
        assertThat(i.weight()).isEqualTo(100);
        assertThat(i.status()).isEqualTo(InstanceStatus.UP);
        assertThat(i.healthCheck()).isNull();
        assertThat(i.registeredAt().toEpochMilli()).isEqualTo(1000);
        assertThat(i.key()).isEqualTo(new InstanceKey("prod", "orders", "x"));
        assertThat(i.address()).isEqualTo("h:1");

        ServiceInstance checked = DiscoveryWire.instance(Instance.newBuilder().setNamespace("p").setService("s").setId("y")
                .setHost("::1").setPort(2).setWeight(0).setStatus(Status.OUT_OF_SERVICE)
                .setCheck(io.cairn.api.discovery.HealthCheck.newBuilder()
                        .setHttp(io.cairn.api.discovery.HttpCheck.newBuilder().setPath("health"))).build());
        assertThat(checked.weight()).isZero();
        assertThat(checked.status()).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
        assertThat(checked.healthCheck()).isEqualTo(HealthCheck.http("/health"));
        assertThat(checked.address()).isEqualTo("[::1]:2");
    }

    @Test
    void settingsKeepTheirFlapDampingBothWaysAndAFlappingInstanceSaysSo() {
        ServiceSettings damped = new ServiceSettings(0.5, Map.of("team", "db"))
                .withFlapDamping(new FlapDamping(3, Duration.ofSeconds(30), Duration.ofMinutes(2)));
        io.cairn.api.discovery.ServiceSettings wire = DiscoveryWire.settings(damped);
        assertThat(wire.getFlapDamping().getChanges()).isEqualTo(3);
        assertThat(wire.getFlapDamping().getWindowMs()).isEqualTo(30_000);
        assertThat(wire.getFlapDamping().getHoldMs()).isEqualTo(120_000);
        assertThat(DiscoveryWire.settings(wire)).isEqualTo(damped);
        assertThat(DiscoveryWire.settings(DiscoveryWire.settings(ServiceSettings.DEFAULT)).flapDamping()).isNull();
        assertThat(damped.withProtectionThreshold(0.1).flapDamping()).as("kept by other changes").isEqualTo(damped.flapDamping());
        assertThatThrownBy(() -> new FlapDamping(0, Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> new FlapDamping(2, Duration.ofMillis(10), Duration.ofSeconds(1))).hasMessageContaining("1 s to 1 h");

        assertThat(DiscoveryWire.instance(Instance.newBuilder().setStatus(Status.DOWN).setFlapping(true).build()).flapping())
                .isTrue();
    }

    @Test
    void anUpdateSendsOnlyWhatChanges() {
        InstanceKey key = new InstanceKey("prod", "orders", "o-1");
        UpdateRequest status = DiscoveryWire.update(key, InstanceUpdate.builder().status(InstanceStatus.DOWN).build());
        assertThat(status.getStatus()).isEqualTo(Status.DOWN);
        assertThat(status.hasWeight()).isFalse();
        assertThat(status.getReplaceTags()).isFalse();
        assertThat(status.getReplaceMetadata()).isFalse();
        UpdateRequest meta = DiscoveryWire.update(key, InstanceUpdate.builder().weight(0).metadata(Map.of()).build());
        assertThat(meta.getStatus()).isEqualTo(Status.STATUS_UNSPECIFIED);
        assertThat(meta.hasWeight()).isTrue();
        assertThat(meta.getReplaceMetadata()).isTrue();
        assertThat(meta.getKey().getId()).isEqualTo("o-1");
    }
}
