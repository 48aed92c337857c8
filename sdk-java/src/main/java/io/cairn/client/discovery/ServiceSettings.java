package io.cairn.client.discovery;

import java.util.Map;

/**
 * A service's settings, kept in the registry beside its instances.
 *
 * @param protectionThreshold when the share of UP instances falls below it (0 to 1; 0 turns it
 *                            off), lookups and load balancers use every instance rather than
 *                            send all traffic to the few healthy ones, as Nacos protects a service
 * @param metadata            entries every instance reports unless it sets them itself
 * @param flapDamping         how instances whose health check flaps are held DOWN; null for no damping
 */
public record ServiceSettings(double protectionThreshold, Map<String, String> metadata, FlapDamping flapDamping) {
    /** No protection, no default metadata, no damping: what a service without settings has. */
    public static final ServiceSettings DEFAULT = new ServiceSettings(0, Map.of());

    /** Settings without flap damping. */
    public ServiceSettings(double protectionThreshold, Map<String, String> metadata) {
        this(protectionThreshold, metadata, null);
    }

    /** @throws IllegalArgumentException for a threshold outside 0 to 1 */
    public ServiceSettings {
        if (!(protectionThreshold >= 0 && protectionThreshold <= 1)) {
            throw new IllegalArgumentException("protection threshold " + protectionThreshold + " is out of range (0 to 1)");
        }
        metadata = Map.copyOf(metadata);
    }

    /** These settings with another protection threshold. */
    public ServiceSettings withProtectionThreshold(double threshold) {
        return new ServiceSettings(threshold, metadata, flapDamping);
    }

    /** These settings with {@code damping} (null for none). */
    public ServiceSettings withFlapDamping(FlapDamping damping) {
        return new ServiceSettings(protectionThreshold, metadata, damping);
    }

    /** Whether {@code healthy} UP instances out of {@code total} are too few, so all instances should be used. */
    public boolean protects(int healthy, int total) {
        return protectionThreshold > 0 && total > 0 && (double) healthy / total < protectionThreshold;
    }
}
