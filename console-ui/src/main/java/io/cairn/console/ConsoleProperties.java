package io.cairn.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the console finds the cluster and how it samples it ({@code cairn.console.*};
 * {@code bin/cairn-console --endpoints ...} sets the first).
 *
 * @param endpoints      client URLs of the members the console may call (any one will do; list more to ride out one being down)
 * @param trustedCa      PEM of the CA that signed the members' certificates (https endpoints)
 * @param cert           the console's client certificate, when members ask for one
 * @param key            its private key
 * @param timeout        how long one call to the cluster may take
 * @param sampleInterval how often each member's /metrics is read for the dashboard's charts
 * @param sampleWindow   how much of that history the charts keep
 */
@ConfigurationProperties("cairn.console")
public record ConsoleProperties(
        @DefaultValue("http://127.0.0.1:2379") List<String> endpoints,
        Path trustedCa,
        Path cert,
        Path key,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("10s") Duration sampleInterval,
        @DefaultValue("1h") Duration sampleWindow) {
}
