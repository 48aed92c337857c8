package io.cairn.server.watch;

/**
 * Where a server stream built on watchers sends its responses, in order (a registry
 * subscription, a config listen); it says when it can take more.
 */
public interface StreamSink<T> {
    boolean isReady();

    void send(T response);

    /** The stream is over: refused, or the member stopped serving. */
    void fail(RuntimeException error);
}
