package io.cairn.client.config;

import java.time.Instant;
import java.util.Optional;

/**
 * Who changed what, when and from where: one record per change, kept after the config is gone.
 *
 * @param namespace     the namespace changed
 * @param group         the config's group; empty for a change to the namespace itself
 * @param dataId        the config's data id; empty for a change to the namespace itself
 * @param action        publish, delete, rollback, import, gray-start, gray-promote, gray-abort,
 *                      schema, namespace-create, namespace-update, namespace-delete, draft
 *                      (a change stored for review) or draft-reject
 * @param oldVersion    the version before the change
 * @param newVersion    the version the change made
 * @param md5           the new content's MD5
 * @param user          the authenticated user; empty with auth off
 * @param clientAddress the address the change came from
 * @param time          when, by the leader's clock
 * @param comment       the comment given with the change
 * @param revision      the store revision of the change
 * @param reviewer      in a namespace that requires review, who approved the change (or, for
 *                      draft-reject, rejected it); else empty
 * @param draftId       the draft the change came from or concerns; else 0
 */
public record AuditRecord(String namespace, String group, String dataId, String action, long oldVersion, long newVersion,
                          String md5, String user, String clientAddress, Instant time, String comment, long revision,
                          String reviewer, long draftId) {
    /** The config changed; empty for a change to the namespace itself. */
    public Optional<ConfigKey> key() {
        return group.isEmpty() || dataId.isEmpty() ? Optional.empty() : Optional.of(new ConfigKey(namespace, group, dataId));
    }
}
