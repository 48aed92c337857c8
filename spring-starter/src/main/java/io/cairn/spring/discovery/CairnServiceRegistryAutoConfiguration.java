package io.cairn.spring.discovery;

import io.cairn.client.Client;
import io.cairn.spring.CairnAutoConfiguration;
import io.cairn.spring.CairnProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Registers the application in Cairn when its web server is up, through Spring Cloud's
 * {@code ServiceRegistry} (so {@code /actuator/serviceregistry} reads and sets its status).
 */
@AutoConfiguration(after = {CairnAutoConfiguration.class, AutoServiceRegistrationConfiguration.class,
        AutoServiceRegistrationAutoConfiguration.class}, before = ServiceRegistryAutoConfiguration.class)
@ConditionalOnProperty(prefix = CairnProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = CairnDiscoveryProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = CairnDiscoveryProperties.PREFIX, name = "register", matchIfMissing = true)
@ConditionalOnProperty(value = "spring.cloud.service-registry.enabled", matchIfMissing = true)
@ConditionalOnBean(Client.class)
public class CairnServiceRegistryAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean
    public CairnServiceRegistry cairnServiceRegistry(Client client) {
        return new CairnServiceRegistry(client);
    }

    @Bean
    @ConditionalOnMissingBean
    public CairnRegistration cairnRegistration(CairnDiscoveryProperties properties, Environment environment,
                                               ObjectProvider<InetUtils> inet) {
        String service = StringUtils.hasText(properties.getService()) ? properties.getService()
                : environment.getProperty("spring.application.name", "application");
        String host = properties.getHost();
        if (!StringUtils.hasText(host)) {
            InetUtils utils = inet.getIfAvailable();
            host = utils != null ? utils.findFirstNonLoopbackHostInfo().getIpAddress() : "127.0.0.1";
        }
        return new CairnRegistration(properties, service, host);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AutoServiceRegistrationProperties.class)
    @ConditionalOnProperty(value = "spring.cloud.service-registry.auto-registration.enabled", matchIfMissing = true)
    public CairnAutoServiceRegistration cairnAutoServiceRegistration(CairnServiceRegistry registry,
                                                                     AutoServiceRegistrationProperties auto,
                                                                     CairnRegistration registration,
                                                                     CairnDiscoveryProperties properties) {
        return new CairnAutoServiceRegistration(registry, auto, registration, properties);
    }
}
