package io.cairn.client.config;

import java.time.Instant;

/**
 * A namespace: an environment or a tenant, holding configs by group and data id.
 *
 * @param name        its name
 * @param description what it is for
 * @param created     when it was created
 * @param configs     how many configs it holds now (deleted ones not counted)
 * @param builtin     true for "default", which always exists
 * @param reviewRequired publishes, deletes and rollbacks become drafts a reviewer must approve
 */
public record Namespace(String name, String description, Instant created, int configs, boolean builtin,
                        boolean reviewRequired) {
}
