package io.cairn.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.Client;
import io.cairn.client.Election;
import io.cairn.client.Lock;
import io.cairn.spring.config.CairnConfigAutoConfiguration;
import io.cairn.spring.config.CairnConfigWatcher;
import io.cairn.spring.discovery.CairnAutoServiceRegistration;
import io.cairn.spring.discovery.CairnDiscoveryAutoConfiguration;
import io.cairn.spring.discovery.CairnDiscoveryClient;
import io.cairn.spring.discovery.CairnInstanceViews;
import io.cairn.spring.discovery.CairnLoadBalancerAutoConfiguration;
import io.cairn.spring.discovery.CairnReactiveDiscoveryClient;
import io.cairn.spring.discovery.CairnRegistration;
import io.cairn.spring.discovery.CairnServiceInstanceListSupplier;
import io.cairn.spring.discovery.CairnServiceRegistry;
import io.cairn.spring.discovery.CairnServiceRegistryAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.WeightedServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

/** Each auto-configuration, and each switch that turns one off. No member is needed: the client connects lazily. */
class CairnAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CairnAutoConfiguration.class, CairnHealthAutoConfiguration.class,
                    CairnDiscoveryAutoConfiguration.class, CairnServiceRegistryAutoConfiguration.class,
                    CairnLoadBalancerAutoConfiguration.class, CairnConfigAutoConfiguration.class,
                    UtilAutoConfiguration.class, AutoServiceRegistrationAutoConfiguration.class,
                    CompositeDiscoveryClientAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
                    LoadBalancerAutoConfiguration.class))
            .withPropertyValues("spring.application.name=orders", "spring.cloud.cairn.endpoints=http://127.0.0.1:1",
                    "spring.cloud.cairn.config.snapshot-dir=");

    @Test
    void everythingIsOnByDefault() {
        runner.withPropertyValues("spring.cloud.cairn.discovery.host=10.1.2.3", "spring.cloud.cairn.discovery.zone=z1",
                        "spring.cloud.cairn.discovery.port=8080")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Client.class).hasSingleBean(Lock.class).hasSingleBean(Election.class)
                            .hasSingleBean(CairnDiscoveryClient.class).hasSingleBean(CairnReactiveDiscoveryClient.class)
                            .hasSingleBean(CairnInstanceViews.class).hasSingleBean(CairnServiceRegistry.class)
                            .hasSingleBean(CairnAutoServiceRegistration.class).hasSingleBean(CairnConfigWatcher.class)
                            .hasSingleBean(CairnHealthIndicator.class).hasSingleBean(CairnLocks.class)
                            .hasSingleBean(io.cairn.spring.discovery.CairnCatalogWatch.class);
                    CairnRegistration registration = context.getBean(CairnRegistration.class);
                    assertThat(registration.getServiceId()).as("the service defaults to the application's name").isEqualTo("orders");
                    assertThat(registration.getHost()).isEqualTo("10.1.2.3");
                    assertThat(registration.spec().ttl()).hasSeconds(10);
                    assertThat(registration.spec().zone()).isEqualTo("z1");
                    assertThat(context.getBean(CompositeDiscoveryClient.class).getDiscoveryClients())
                            .as("Cairn's client joins Spring's composite, first").first().isInstanceOf(CairnDiscoveryClient.class);
                    assertThat(context.getBean(CairnDiscoveryClient.class).getOrder()).as("before Spring's simple client's 0").isNegative();
                    ServiceInstanceListSupplier supplier = context.getBean(LoadBalancerClientFactory.class)
                            .getInstance("payments", ServiceInstanceListSupplier.class);
                    assertThat(supplier).as("weighted by the registered weights").isInstanceOf(WeightedServiceInstanceListSupplier.class);
                    assertThat(((DelegatingServiceInstanceListSupplier) supplier).getDelegate())
                            .as("the load balancer reads the live view, not the cached discovery client")
                            .isInstanceOf(CairnServiceInstanceListSupplier.class);
                    assertThat(supplier.getServiceId()).isEqualTo("payments");
                });
    }

    @Test
    void theRegistrationTakesItsPropertiesAndTheServiceName() {
        runner.withPropertyValues("spring.cloud.cairn.discovery.service=billing", "spring.cloud.cairn.discovery.host=h",
                        "spring.cloud.cairn.discovery.port=8443", "spring.cloud.cairn.discovery.secure=true",
                        "spring.cloud.cairn.discovery.ttl=30s", "spring.cloud.cairn.discovery.weight=7",
                        "spring.cloud.cairn.discovery.metadata.version=2", "spring.cloud.cairn.discovery.namespace=prod",
                        "spring.cloud.cairn.discovery.order=7")
                .run(context -> {
                    assertThat(context.getBean(CairnDiscoveryClient.class).getOrder()).isEqualTo(7);
                    CairnRegistration r = context.getBean(CairnRegistration.class);
                    assertThat(r.getInstanceId()).isEqualTo("billing-h-8443");
                    assertThat(r.getUri()).hasToString("https://h:8443");
                    assertThat(r.spec().service().namespace()).isEqualTo("prod");
                    assertThat(r.spec().ttl()).hasSeconds(30);
                    assertThat(r.spec().weight()).isEqualTo(7);
                    assertThat(r.spec().metadata()).containsEntry("version", "2").containsEntry("secure", "true");
                });
    }

    @Test
    void oneSwitchTurnsEverythingOff() {
        runner.withPropertyValues("spring.cloud.cairn.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(Client.class).doesNotHaveBean(CairnDiscoveryClient.class)
                    .doesNotHaveBean(CairnServiceRegistry.class).doesNotHaveBean(CairnConfigWatcher.class)
                    .doesNotHaveBean(CairnHealthIndicator.class).doesNotHaveBean(CairnInstanceViews.class);
            assertThat(context.getBean(LoadBalancerClientFactory.class).getInstance("payments", ServiceInstanceListSupplier.class))
                    .isNotInstanceOf(WeightedServiceInstanceListSupplier.class).isNotInstanceOf(CairnServiceInstanceListSupplier.class);
        });
    }

    @Test
    void discoveryOffLeavesTheClientAndConfig() {
        runner.withPropertyValues("spring.cloud.cairn.discovery.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Client.class).hasSingleBean(CairnConfigWatcher.class)
                    .doesNotHaveBean(CairnDiscoveryClient.class).doesNotHaveBean(CairnServiceRegistry.class)
                    .doesNotHaveBean(CairnAutoServiceRegistration.class).doesNotHaveBean(CairnInstanceViews.class);
        });
        runner.withPropertyValues("spring.cloud.discovery.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(CairnDiscoveryClient.class).doesNotHaveBean(CairnInstanceViews.class));
    }

    @Test
    void lookingUpWithoutRegistering() {
        runner.withPropertyValues("spring.cloud.cairn.discovery.register=false").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(CairnDiscoveryClient.class)
                        .doesNotHaveBean(CairnServiceRegistry.class).doesNotHaveBean(CairnAutoServiceRegistration.class));
        runner.withPropertyValues("spring.cloud.service-registry.auto-registration.enabled=false").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(CairnServiceRegistry.class)
                        .doesNotHaveBean(CairnAutoServiceRegistration.class));
    }

    @Test
    void configOffOrRefreshOff() {
        runner.withPropertyValues("spring.cloud.cairn.config.enabled=false").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(Client.class).doesNotHaveBean(CairnConfigWatcher.class));
        runner.withPropertyValues("spring.cloud.cairn.config.refresh-enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(CairnConfigWatcher.class));
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.cairn.enabled=false").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(Client.class).doesNotHaveBean(CairnHealthIndicator.class));
    }
}
