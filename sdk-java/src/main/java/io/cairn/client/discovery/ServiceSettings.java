package io.cairn.client.discovery;

import java.util.Map;

/**
 * A service's settings, kept in the registry beside its instances.
 *
 * @param protectionThreshold when the share of UP instances falls below it (0 to 1; 0 turns it
 *                            off), lookups and load balancers use every instance rather than
 *                            send all traffic to the few healthy ones, as Nacos protects a service
 * @param metadata            entries every instance reports unless it sets them itself
 */
public record ServiceSettings(double protectionThreshold, Map<String, String> metadata) {
    /** No protection, no default metadata: what a service without settings has. */
    public static final ServiceSettings DEFAULT = new ServiceSettings(0, Map.of());

    /** @throws IllegalArgumentException for a threshold outside 0 to 1 */
    public ServiceSettings {
        if (!(protectionThreshold >= 0 && protectionThreshold <= 1)) {
            throw new IllegalArgumentException("protection threshold " + protectionThreshold + " is out of range (0 to 1)");
        }
        metadata = Map.copyOf(metadata);
    }

    /** Whether {@code healthy} UP instances out of {@code total} are too few, so all instances should be used. */
    public boolean protects(int healthy, int total) {
        return protectionThreshold > 0 && total > 0 && (double) healthy / total < protectionThreshold;
    }
}
