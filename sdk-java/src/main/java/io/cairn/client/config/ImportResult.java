package io.cairn.client.config;

/** What an import did: configs created, given a new version, and left alone. */
public record ImportResult(int created, int updated, int skipped) {
}
