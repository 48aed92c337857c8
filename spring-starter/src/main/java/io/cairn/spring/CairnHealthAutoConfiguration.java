package io.cairn.spring;

import io.cairn.client.Client;
import io.cairn.spring.discovery.CairnRegistration;
import io.cairn.spring.discovery.CairnServiceRegistry;
import io.cairn.spring.discovery.CairnServiceRegistryAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/** The {@code cairn} health indicator, for applications with actuator. */
@AutoConfiguration(after = {CairnAutoConfiguration.class, CairnServiceRegistryAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnProperty(prefix = CairnProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("cairn")
@ConditionalOnBean(Client.class)
public class CairnHealthAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "cairnHealthIndicator")
    public CairnHealthIndicator cairnHealthIndicator(Client client, CairnProperties properties,
                                                     ObjectProvider<CairnServiceRegistry> registry,
                                                     ObjectProvider<CairnRegistration> registration) {
        return new CairnHealthIndicator(client, properties.getTimeout(), registry.getIfAvailable(), registration.getIfAvailable());
    }
}
