package io.cairn.console.cluster;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The cluster's own error behind an asynchronous call's wrapper, so people read what the cluster said. */
public final class CairnErrors {
    private CairnErrors() {
    }

    public static RuntimeException unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t.getMessage(), t);
    }

    /** The text shown to a person: the cluster's message, without Java's class names. */
    public static String describe(Throwable e) {
        Throwable t = unwrap(e);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
