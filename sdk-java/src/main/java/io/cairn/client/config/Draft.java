package io.cairn.client.config;

import java.time.Instant;
import java.util.Objects;

/**
 * A change awaiting review, in a namespace that requires it: what a publish, delete or
 * rollback would have written. A reviewer other than its author approves it (which publishes
 * it) or rejects it; either way it goes.
 *
 * @param key           the config
 * @param id            the store revision that made it: unique, and in the order drafts were made
 * @param change        PUBLISHED, DELETED or ROLLED_BACK
 * @param format        the content's format
 * @param content       the content; empty for a delete, and in lists
 * @param md5           lower-case hex MD5 of the content
 * @param baseVersion   the version it was made against (0: the config did not exist); it can be
 *                      approved only while the config is still at it
 * @param sourceVersion for a rollback, the version whose content it brings back; else 0
 * @param author        who made it; empty with auth off
 * @param clientAddress where it was made from
 * @param comment       the comment given with it, which the published version will carry
 * @param time          when, by the leader's clock
 */
public record Draft(ConfigKey key, long id, Change change, Format format, String content, String md5, long baseVersion,
                    long sourceVersion, String author, String clientAddress, String comment, Instant time) {
    public Draft {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(comment, "comment");
    }

    /**
     * A draft with the diff it makes.
     *
     * @param draft          the draft, with its content
     * @param currentVersion the config's version now (0: it never existed)
     * @param unifiedDiff    from the current content to the draft's
     */
    public record WithDiff(Draft draft, long currentVersion, String unifiedDiff) {
    }
}
