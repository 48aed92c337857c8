package io.cairn.server.node;

/** Lets a waiting call (a lock, a campaign) be abandoned when its client goes away. */
@FunctionalInterface
public interface CancelSignal {
    /** Runs {@code action} when the client cancels (at once if it already has). */
    void onCancel(Runnable action);
}
