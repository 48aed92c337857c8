package io.cairn.spring.discovery;

import io.cairn.spring.CairnProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The configuration of every load-balanced client's own context: its instances come from the
 * application's live view of the service, not from the discovery client through a cache.
 */
@Configuration(proxyBeanMethods = false)
public class CairnLoadBalancerClientConfiguration {
    /** Weighted by the instances' registered weights (the {@code weight} metadata), which the default round robin would ignore. */
    @Bean
    @ConditionalOnMissingBean
    public ServiceInstanceListSupplier cairnServiceInstanceListSupplier(ConfigurableApplicationContext context, Environment environment,
                                                                       CairnInstanceViews views, CairnDiscoveryProperties properties,
                                                                       CairnProperties cairn) {
        CairnServiceInstanceListSupplier live = new CairnServiceInstanceListSupplier(LoadBalancerClientFactory.getName(environment),
                views, properties.getZone(), cairn.getTimeout());
        return ServiceInstanceListSupplier.builder().withBase(live).withWeighted().build(context);
    }
}
