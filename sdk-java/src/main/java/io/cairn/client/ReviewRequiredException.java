package io.cairn.client;

import io.cairn.client.config.Draft;

/**
 * A publish, delete or rollback in a namespace that requires review: nothing was published; the
 * change was stored as a draft that awaits a reviewer ({@link Configs#approve}).
 */
public final class ReviewRequiredException extends CairnException {
    private final transient Draft draft;

    ReviewRequiredException(Draft draft) {
        super(Code.FAILED_PRECONDITION, "config: namespace " + draft.key().namespace() + " requires review: draft "
                + draft.id() + " of " + draft.key() + " awaits a reviewer", null);
        this.draft = draft;
    }

    /** The draft stored, without its content. */
    public Draft draft() {
        return draft;
    }
}
