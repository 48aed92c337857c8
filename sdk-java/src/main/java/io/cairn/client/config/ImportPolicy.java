package io.cairn.client.config;

/** What an import does with configs that exist already in the namespace. */
public enum ImportPolicy {
    /** Nothing is imported if any config of the document exists already. */
    ABORT_ON_CONFLICT,
    /** Existing configs are kept; the others are imported. */
    SKIP_EXISTING,
    /** Existing configs get the document's content as a new version. */
    OVERWRITE
}
