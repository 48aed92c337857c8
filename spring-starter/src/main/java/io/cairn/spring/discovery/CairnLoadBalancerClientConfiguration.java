package io.cairn.spring.discovery;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The configuration of every load-balanced client's own context: its instances come from the
 * application's live view of the service, not from the discovery client through a cache.
 */
@Configuration(proxyBeanMethods = false)
public class CairnLoadBalancerClientConfiguration {
    @Bean
    public ServiceInstanceListSupplier cairnServiceInstanceListSupplier(Environment environment, CairnInstanceViews views,
                                                                       CairnDiscoveryProperties properties) {
        return new CairnServiceInstanceListSupplier(LoadBalancerClientFactory.getName(environment), views, properties.getZone());
    }
}
