package io.cairn.spring.discovery;

import io.cairn.client.Client;
import io.cairn.spring.CairnAutoConfiguration;
import io.cairn.spring.CairnProperties;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Cloud's {@code DiscoveryClient} and {@code ReactiveDiscoveryClient} on Cairn (they join
 * Spring's composite clients), and the live views the load balancer reads.
 */
@AutoConfiguration(after = CairnAutoConfiguration.class, before = {SimpleDiscoveryClientAutoConfiguration.class,
        SimpleReactiveDiscoveryClientAutoConfiguration.class, CommonsClientAutoConfiguration.class})
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(prefix = CairnProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = CairnDiscoveryProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBean(Client.class)
public class CairnDiscoveryAutoConfiguration {
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlockingDiscoveryEnabled
    static class Blocking {
        @Bean
        @ConditionalOnMissingBean
        CairnDiscoveryClient cairnDiscoveryClient(Client client, CairnDiscoveryProperties properties) {
            return new CairnDiscoveryClient(client, properties.getNamespace(), properties.getOrder());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnReactiveDiscoveryEnabled
    static class Reactive {
        @Bean
        @ConditionalOnMissingBean
        CairnReactiveDiscoveryClient cairnReactiveDiscoveryClient(Client client, CairnDiscoveryProperties properties) {
            return new CairnReactiveDiscoveryClient(client, properties.getNamespace(), properties.getOrder());
        }
    }

    /** What the catalog's heartbeat events count: one counter for the views and the catalog watch. */
    private final AtomicLong catalogChanges = new AtomicLong();

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CairnInstanceViews cairnInstanceViews(Client client, CairnDiscoveryProperties properties, ApplicationEventPublisher events) {
        return new CairnInstanceViews(client, properties.getNamespace(), events, catalogChanges);
    }

    @Bean
    @ConditionalOnMissingBean
    public CairnCatalogWatch cairnCatalogWatch(Client client, CairnDiscoveryProperties properties, ApplicationEventPublisher events) {
        return new CairnCatalogWatch(client, properties.getNamespace(), properties.getCatalogInterval(), events, catalogChanges);
    }
}
