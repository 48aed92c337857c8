package io.cairn.client.config;

import io.cairn.client.CairnException;

/**
 * What a listener to configs is told, one call at a time, in order, on a client thread (do not
 * block in it for long: only this listener's own calls wait meanwhile). A listener that throws
 * is logged and goes on being told: it never loses a version, nor makes another listener lose one.
 */
public interface ConfigListener {
    /**
     * A version of a config to use now. First comes the current version of each config
     * selected (read from the client's snapshot files when the cluster cannot be reached, and
     * then marked {@link Config#fromSnapshot()}), then every later version as it is committed:
     * in revision order, each once, none missed, across reconnections. A delete comes as a
     * version with {@link Change#DELETED} and no content; a gray release's candidate that
     * matches this client with {@link Config#gray()}; when that gray release ends, the version
     * to use again, without {@code gray}.
     */
    void onConfig(Config config);

    /**
     * The cluster cannot be reached ({@code true}): the last versions told (perhaps from the
     * snapshot files) stay in use while the client reconnects; or it is reachable again
     * ({@code false}), and the versions committed meanwhile follow.
     */
    default void onStale(boolean stale) {
    }

    /**
     * The listen was refused (for example "etcdserver: permission denied", or a namespace that
     * does not exist) and has stopped; the versions told stay in use.
     */
    default void onError(CairnException error) {
    }
}
