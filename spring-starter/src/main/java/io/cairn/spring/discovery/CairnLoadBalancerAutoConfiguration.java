package io.cairn.spring.discovery;

import io.cairn.spring.CairnProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;

/** Spring Cloud LoadBalancer, for every client, on {@link CairnServiceInstanceListSupplier}. */
@AutoConfiguration(after = CairnDiscoveryAutoConfiguration.class, before = LoadBalancerAutoConfiguration.class)
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(prefix = CairnProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = CairnDiscoveryProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(value = "spring.cloud.loadbalancer.enabled", matchIfMissing = true)
@ConditionalOnBean(CairnInstanceViews.class)
@LoadBalancerClients(defaultConfiguration = CairnLoadBalancerClientConfiguration.class)
public class CairnLoadBalancerAutoConfiguration {
}
