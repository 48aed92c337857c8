package io.cairn.server.node;

/**
 * The config center's limits, set per member and carried in each command that needs them, so
 * members started with different flags still apply alike.
 *
 * @param historyVersions versions of each config its history keeps
 * @param maxContentBytes the largest content accepted (never beyond the largest request)
 */
public record ConfigLimits(int historyVersions, int maxContentBytes) {
    public static final ConfigLimits DEFAULTS = new ConfigLimits(100, 1 << 20);
}
