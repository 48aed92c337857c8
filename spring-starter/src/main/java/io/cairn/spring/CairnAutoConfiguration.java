package io.cairn.spring;

import io.cairn.client.Client;
import io.cairn.client.Election;
import io.cairn.client.Lock;
import io.cairn.spring.config.CairnConfigProperties;
import io.cairn.spring.discovery.CairnDiscoveryProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The application's {@link Client}, with the SDK's lock and election helpers as beans. When a
 * {@code cairn:} config import made the client at start-up, that one is the bean.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = CairnProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({CairnProperties.class, CairnDiscoveryProperties.class, CairnConfigProperties.class})
public class CairnAutoConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Client cairnClient(CairnProperties properties, CairnConfigProperties config, Environment environment) {
        String name = environment.getProperty("spring.application.name");
        return CairnClients.build(properties, name, CairnClients.snapshotDir(config, name));
    }

    /** Distributed locks: {@code lock.lockSync(name, session)} with a session from {@link Client#session}. */
    @Bean
    @ConditionalOnMissingBean
    public Lock cairnLock(Client client) {
        return client.lock();
    }

    /** Runs work holding a cluster-wide lock, each call on a session (lease) of its own. */
    @Bean
    @ConditionalOnMissingBean
    public CairnLocks cairnLocks(Client client, CairnProperties properties) {
        return new CairnLocks(client, properties.getLockTtl());
    }

    /** Leader elections: campaign, observe, resign. */
    @Bean
    @ConditionalOnMissingBean
    public Election cairnElection(Client client) {
        return client.election();
    }
}
