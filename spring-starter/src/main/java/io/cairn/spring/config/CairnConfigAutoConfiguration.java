package io.cairn.spring.config;

import io.cairn.client.Client;
import io.cairn.spring.CairnAutoConfiguration;
import io.cairn.spring.CairnProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** Follows the configs imported with {@code cairn:} and refreshes the application when one changes. */
@AutoConfiguration(after = CairnAutoConfiguration.class)
@ConditionalOnClass(RefreshEvent.class)
@ConditionalOnProperty(prefix = CairnProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = CairnConfigProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnProperty(prefix = CairnConfigProperties.PREFIX, name = "refresh-enabled", matchIfMissing = true)
@ConditionalOnBean(Client.class)
public class CairnConfigAutoConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CairnConfigWatcher cairnConfigWatcher(Client client, ConfigurableApplicationContext context) {
        return new CairnConfigWatcher(client, context);
    }
}
