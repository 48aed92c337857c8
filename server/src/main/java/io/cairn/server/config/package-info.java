/**
 * The config center's rules that need no store: what content each format accepts
 * ({@link io.cairn.server.config.ConfigFormats}), JSON Schema checks
 * ({@link io.cairn.server.config.ConfigSchemas}) and diffs between versions
 * ({@link io.cairn.server.config.ConfigDiffs}).
 */
package io.cairn.server.config;
