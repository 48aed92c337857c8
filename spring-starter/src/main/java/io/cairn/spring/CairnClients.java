package io.cairn.spring;

import io.cairn.client.Client;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.StringUtils;

/**
 * Builds the application's one {@link Client} from {@link CairnProperties}: at start-up for a
 * {@code cairn:} config import (before there are beans), or as a bean when nothing imported config.
 */
public final class CairnClients {
    private CairnClients() {
    }

    /** The properties as bound from an environment that is still being prepared. */
    public static CairnProperties bind(Binder binder) {
        return binder.bind(CairnProperties.PREFIX, CairnProperties.class).orElseGet(CairnProperties::new);
    }

    /** Where the config center's snapshot files of this application go; null for none (config off, or no directory). */
    public static Path snapshotDir(io.cairn.spring.config.CairnConfigProperties config, String applicationName) {
        Path dir = config.getSnapshotDir();
        if (!config.isEnabled() || dir == null || dir.toString().isEmpty()) {
            return null;
        }
        return dir.resolve(StringUtils.hasText(applicationName) ? applicationName : "application");
    }

    /**
     * A client for these properties.
     *
     * @param applicationName names the client for gray releases when no client id is set
     * @param snapshots       where the config center's snapshot files go; null for none
     */
    public static Client build(CairnProperties p, String applicationName, Path snapshots) {
        if (p.getEndpoints() == null || p.getEndpoints().isEmpty()) {
            throw new IllegalStateException(CairnProperties.PREFIX + ".endpoints names no member");
        }
        Client.Builder b = Client.builder().endpoints(p.getEndpoints()).timeout(p.getTimeout()).labels(p.getLabels());
        // an application name may hold what a client id may not (spaces, say): those become dashes
        String name = StringUtils.hasText(applicationName) ? applicationName.replaceAll("[^A-Za-z0-9._:-]", "-") : "application";
        b.clientId(StringUtils.hasText(p.getClientId()) ? p.getClientId()
                : name.substring(0, Math.min(name.length(), 90)) + "-" + UUID.randomUUID());
        if (StringUtils.hasText(p.getUsername())) {
            b.user(p.getUsername(), p.getPassword() == null ? "" : p.getPassword());
        }
        CairnProperties.Tls tls = p.getTls();
        if (tls.getCa() != null) {
            b.trustedCa(tls.getCa());
        }
        if (tls.getCert() != null || tls.getKey() != null) {
            if (tls.getCert() == null || tls.getKey() == null) {
                throw new IllegalStateException(CairnProperties.PREFIX + ".tls.cert and .tls.key go together");
            }
            b.clientCertificate(tls.getCert(), tls.getKey());
        }
        if (StringUtils.hasText(tls.getAuthority())) {
            b.authority(tls.getAuthority());
        }
        if (snapshots != null) {
            b.configSnapshots(snapshots);
        }
        return b.build();
    }
}
