package io.cairn.client.config;

/**
 * The difference between two versions of a config.
 *
 * @param unifiedDiff a unified diff, as {@code diff -u} prints it; empty when the contents are the same
 * @param fromVersion the older version
 * @param toVersion   the newer version
 */
public record ConfigDiff(String unifiedDiff, long fromVersion, long toVersion) {
}
