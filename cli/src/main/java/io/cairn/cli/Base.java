package io.cairn.cli;

import io.cairn.client.Client;
import io.cairn.client.KeyValue;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the root's flags, a client, waiting, and etcdctl's printing. */
abstract class Base implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    Cairnctl root() {
        return (Cairnctl) spec.root().userObject();
    }

    PrintStream out() {
        return root().out;
    }

    boolean json() {
        return root().json();
    }

    @Override
    public Integer call() throws Exception {
        try (Client client = root().client()) {
            return run(client);
        }
    }

    abstract int run(Client client) throws Exception;

    /** Waits for a call; its failure ends the command with "Error: <message>" and exit 1. */
    static <T> T await(CompletableFuture<T> call) {
        return await(call, null);
    }

    /** As {@link #await(CompletableFuture)}, the message wrapped as etcdctl words it: "failed to grant lease (%s)". */
    static <T> T await(CompletableFuture<T> call, String wrap) {
        try {
            return call.join();
        } catch (RuntimeException e) {
            String message = Cairnctl.message(e);
            throw new Cairnctl.Exit(Cairnctl.EXIT_ERROR, wrap == null ? message : String.format(wrap, message));
        }
    }

    /** One answer as etcdctl -w json prints it, from {@link GoJson}. */
    void printJson(String json) {
        out().println(json);
    }

    /** etcdctl's simple form of a key-value: the key on one line, the value on the next. */
    void printKv(KeyValue kv, boolean valueOnly) {
        if (!valueOnly) {
            out().println(kv.keyString());
        }
        out().println(kv.valueString());
    }

    static long hex(String id) {
        return Long.parseUnsignedLong(id, 16);
    }
}
