package io.cairn.client;

import static io.cairn.client.discovery.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which instances a balancer chooses from, with and without the service's protection. */
class ServiceStateTest {
    private final ServiceInstance up1 = instance("a", "", 100, InstanceStatus.UP, 1);
    private final ServiceInstance down2 = instance("b", "", 100, InstanceStatus.DOWN, 1);
    private final ServiceInstance down3 = instance("c", "", 100, InstanceStatus.OUT_OF_SERVICE, 1);
    private final ServiceInstance drained = instance("d", "", 0, InstanceStatus.UP, 1);

    @Test
    void withoutProtectionOnlyHealthyInstancesOfSomeWeightAreCandidates() {
        ServiceState s = ServiceState.of(List.of(up1, down2, down3, drained), ServiceSettings.DEFAULT, 9);
        assertThat(s.healthy()).containsExactly(up1, drained);
        assertThat(s.candidates()).containsExactly(up1);
        assertThat(s.protectionTriggered()).isFalse();
    }

    @Test
    void belowTheThresholdEveryInstanceOfSomeWeightIsACandidate() {
        // 2 healthy of 4 is 0.5: under 0.6 the service is protected, at 0.5 it is not
        ServiceState protectedState = ServiceState.of(List.of(up1, down2, down3, drained), new ServiceSettings(0.6, Map.of()), 9);
        assertThat(protectedState.protectionTriggered()).isTrue();
        assertThat(protectedState.candidates()).containsExactly(up1, down2, down3);
        ServiceState atThreshold = ServiceState.of(List.of(up1, down2, down3, drained), new ServiceSettings(0.5, Map.of()), 9);
        assertThat(atThreshold.protectionTriggered()).isFalse();
        assertThat(atThreshold.candidates()).containsExactly(up1);
    }

    @Test
    void newSettingsRecomputeTheCandidates() {
        ServiceState s = ServiceState.of(List.of(up1, down2), ServiceSettings.DEFAULT, 3);
        assertThat(s.withSettings(new ServiceSettings(0.9, Map.of())).candidates()).containsExactly(up1, down2);
        assertThat(ServiceState.EMPTY.candidates()).isEmpty();
        assertThat(ServiceState.of(List.of(), new ServiceSettings(1, Map.of()), 0).protectionTriggered()).isFalse();
    }
}
