package io.cairn.client.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mistakes a registration, lookup or update can be refused for before anything is sent. */
class RegistrationSpecTest {
    private static RegistrationSpec.Builder orders() {
        return RegistrationSpec.builder("orders").address("10.0.0.5", 8080);
    }

    @Test
    void aPlainSpecStaysAliveOnATenSecondTtl() {
        RegistrationSpec spec = orders().zone("eu-1").tags("v2").metadata("version", "2").build();
        assertThat(spec.service()).isEqualTo(new ServiceKey("default", "orders"));
        assertThat(spec.liveness()).isEqualTo(RegistrationSpec.Liveness.TTL);
        assertThat(spec.ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.id()).isNull();
        assertThat(spec.weight()).isEqualTo(100);
        assertThat(spec.status()).isEqualTo(InstanceStatus.UP);
        assertThat(spec.tags()).containsExactly("v2");
        assertThat(spec.metadata()).containsExactly(Map.entry("version", "2"));
        RegistrationSpec again = spec.toBuilder().id("orders-1").build();
        assertThat(again.id()).isEqualTo("orders-1");
        assertThat(again.ttl()).isEqualTo(spec.ttl());
        assertThat(again.zone()).isEqualTo("eu-1");
    }

    @Test
    void badNamesPortsWeightsAndTtlsAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> RegistrationSpec.builder("").address("h", 1).build()).hasMessage("service is empty");
        assertThatThrownBy(() -> RegistrationSpec.builder("a/b").address("h", 1).build())
                .hasMessage("service \"a/b\" must be 1 to 200 of A-Z a-z 0-9 . _ - : @ #");
        assertThatThrownBy(() -> RegistrationSpec.builder("s".repeat(201)).address("h", 1).build())
                .hasMessageContaining("must be 1 to 200");
        assertThatThrownBy(() -> orders().namespace("").build()).hasMessage("namespace is empty");
        assertThatThrownBy(() -> orders().id("white space")).hasMessageStartingWith("instance id \"white space\"");
        assertThatThrownBy(() -> orders().port(70_000).build()).hasMessage("port 70000 is out of range (1 to 65535)");
        assertThatThrownBy(() -> orders().port(0).build()).hasMessage("port 0 is out of range (1 to 65535)");
        assertThatThrownBy(() -> RegistrationSpec.builder("orders").port(80).build()).hasMessage("host is empty");
        assertThatThrownBy(() -> orders().weight(10_001).build()).hasMessage("weight 10001 is out of range (0 to 10000)");
        assertThatThrownBy(() -> orders().ttl(Duration.ZERO)).hasMessageStartingWith("a registration's TTL is at least 1 s");
        assertThatThrownBy(() -> orders().lease(0)).hasMessage("lease 0 is no lease");
        assertThatThrownBy(() -> orders().ttl(Duration.ofSeconds(5)).healthCheck(HealthCheck.tcp()))
                .hasMessageContaining("not both TTL and HEALTH_CHECK");
    }

    @Test
    void healthChecksHaveTheServersDefaultsAndRefuseNonsense() {
        HealthCheck http = HealthCheck.http("/health").withInterval(Duration.ofSeconds(2)).withFailureThreshold(2);
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(http.successThreshold()).isEqualTo(1);
        assertThat(http.failureThreshold()).isEqualTo(2);
        RegistrationSpec persistent = orders().healthCheck(http).build();
        assertThat(persistent.liveness()).isEqualTo(RegistrationSpec.Liveness.HEALTH_CHECK);
        assertThat(persistent.ttl()).isNull();
        assertThatThrownBy(() -> HealthCheck.http("health")).hasMessageContaining("must start with /");
        assertThatThrownBy(() -> HealthCheck.tcp().withTimeout(Duration.ZERO)).hasMessageContaining("timeout is at least 1 ms");
        assertThatThrownBy(() -> HealthCheck.grpc("").withSuccessThreshold(0)).hasMessageContaining("at least 1");
    }

    @Test
    void updatesQueriesAndSettingsCheckTheirValues() {
        assertThatThrownBy(() -> InstanceUpdate.builder().build()).hasMessageContaining("at least one of");
        assertThatThrownBy(() -> InstanceUpdate.builder().weight(-1)).hasMessageContaining("out of range");
        InstanceUpdate u = InstanceUpdate.builder().status(InstanceStatus.DOWN).tags(List.of()).build();
        assertThat(u.status()).contains(InstanceStatus.DOWN);
        assertThat(u.tags()).contains(List.of());
        assertThat(u.weight()).isEmpty();
        assertThat(u.metadata()).isEmpty();
        assertThatThrownBy(() -> new ServiceSettings(1.5, Map.of())).hasMessageContaining("out of range (0 to 1)");
        assertThatThrownBy(() -> new ServiceSettings(Double.NaN, Map.of())).hasMessageContaining("out of range");
        assertThatThrownBy(() -> new InstanceKey("default", "orders", "")).hasMessage("instance id is empty");
        assertThat(InstanceQuery.builder(ServiceKey.of("orders")).zone("z").tags("a", "b").all().build().tags())
                .containsExactly("a", "b");
    }
}
