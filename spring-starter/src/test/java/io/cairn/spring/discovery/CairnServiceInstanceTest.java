package io.cairn.spring.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.discovery.InstanceStatus;
import io.cairn.client.discovery.ServiceInstance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CairnServiceInstanceTest {
    private static ServiceInstance instance(String id, String zone, Map<String, String> metadata) {
        return new ServiceInstance("default", "orders", id, "10.0.0.1", 8080, 100, zone, List.of("v2"), metadata,
                InstanceStatus.UP, 7, null, Instant.EPOCH, 5, false);
    }

    @Test
    void theLoadBalancerPrefersItsZoneWhileItHasInstancesThere() {
        List<ServiceInstance> all = List.of(instance("a", "z1", Map.of()), instance("b", "z2", Map.of()), instance("c", "", Map.of()));
        assertThat(CairnServiceInstanceListSupplier.preferZone(all, "z2")).extracting(ServiceInstance::id).containsExactly("b");
        assertThat(CairnServiceInstanceListSupplier.preferZone(all, "z9")).as("none there: all").hasSize(3);
        assertThat(CairnServiceInstanceListSupplier.preferZone(all, "")).as("no zone of its own: all").hasSize(3);
    }

    @Test
    void springSeesTheInstanceWithZoneWeightAndTagsInItsMetadata() {
        CairnServiceInstance i = new CairnServiceInstance(instance("a", "z1", Map.of("secure", "true", "version", "2")));
        assertThat(i.getServiceId()).isEqualTo("orders");
        assertThat(i.getInstanceId()).isEqualTo("a");
        assertThat(i.isSecure()).isTrue();
        assertThat(i.getUri()).hasToString("https://10.0.0.1:8080");
        assertThat(i.getMetadata()).containsEntry("zone", "z1").containsEntry("weight", "100").containsEntry("tags", "v2")
                .containsEntry("version", "2");
        assertThat(new CairnServiceInstance(instance("b", "", Map.of())).getUri()).hasToString("http://10.0.0.1:8080");
    }
}
