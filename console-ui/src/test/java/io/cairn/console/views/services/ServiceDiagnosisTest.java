package io.cairn.console.views.services;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.client.discovery.HealthCheck;
import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.ServiceInstance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceDiagnosisTest {
    private static int ids;

    private static ServiceInstance instance(InstanceStatus status, HealthCheck check) {
        return instance(status, check, 100);
    }

    private static ServiceInstance instance(InstanceStatus status, HealthCheck check, int weight) {
        long lease = check == null ? 7 : 0; // a checked instance is persistent, a leased one is not checked
        return new ServiceInstance("default", "orders", "i-" + ids++, "10.0.0.1", 8080, weight, "", List.of(), Map.of(),
                status, lease, check, Instant.EPOCH, 1, false);
    }

    @Test
    void noInstances() {
        assertEquals("No instances registered", ServiceDiagnosis.of(List.of()));
    }

    @Test
    void allHealthy() {
        assertEquals("2 instances, all healthy", ServiceDiagnosis.of(List.of(
                instance(InstanceStatus.UP, null), instance(InstanceStatus.UP, HealthCheck.tcp()))));
        assertEquals("1 instance, healthy", ServiceDiagnosis.of(List.of(instance(InstanceStatus.UP, null))));
    }

    @Test
    void outOfServiceAndAFailingCheck() {
        assertEquals("2 instances: 1 out of service, 1 failing its HTTP check", ServiceDiagnosis.of(List.of(
                instance(InstanceStatus.OUT_OF_SERVICE, null), instance(InstanceStatus.DOWN, HealthCheck.http("/health")))));
    }

    @Test
    void failingChecksAreCountedByKind() {
        assertEquals("3 instances: 2 failing their TCP check, 1 failing its GRPC check", ServiceDiagnosis.of(List.of(
                instance(InstanceStatus.DOWN, HealthCheck.tcp()), instance(InstanceStatus.DOWN, HealthCheck.grpc("")),
                instance(InstanceStatus.DOWN, HealthCheck.tcp()))));
    }

    @Test
    void leasedInstancesAreDownByTheirOwner() {
        assertEquals("3 instances: 1 healthy, 2 marked down by their owners", ServiceDiagnosis.of(List.of(
                instance(InstanceStatus.UP, null), instance(InstanceStatus.DOWN, null), instance(InstanceStatus.DOWN, null))));
    }

    @Test
    void weightZeroTakesNoTraffic() {
        assertEquals("1 instance: 1 up but with weight 0 (takes no traffic)",
                ServiceDiagnosis.of(List.of(instance(InstanceStatus.UP, null, 0))));
    }
}
