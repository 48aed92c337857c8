package io.cairn.client.config;

/** What made a version of a config. */
public enum Change {
    PUBLISHED,
    /** The config was deleted: the version has no content. */
    DELETED,
    /** A past version's content was published again (see {@link Config#sourceVersion()}). */
    ROLLED_BACK,
    IMPORTED,
    /** A gray release's candidate was published to all. */
    GRAY_PROMOTED
}
