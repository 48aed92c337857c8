package io.cairn.cli;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.KeyValue;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
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

    /** A stream's listener told the cluster is unreachable, or reachable again: said on stderr. */
    void tellStale(boolean stale) {
        root().err.println(stale ? "the cluster is unreachable; reconnecting" : "reconnected");
    }

    /** A stream the server refused: its error on stderr, and {@code ended} completes with etcdctl's exit code 5. */
    void refused(CairnException error, CompletableFuture<Integer> ended) {
        root().err.println("Error: " + Cairnctl.message(error));
        ended.complete(Cairnctl.EXIT_INTERRUPTED);
    }

    static long hex(String id) {
        return Long.parseUnsignedLong(id, 16);
    }

    /**
     * A command whose bad input (a name the SDK refuses, a flag that makes no sense, both
     * thrown as IllegalArgumentException) ends it as a bad argument, exit 128, rather than an error.
     */
    abstract static class Checked extends Base {
        @Override
        public Integer call() throws Exception {
            try {
                return super.call();
            } catch (IllegalArgumentException e) {
                throw new Cairnctl.Exit(Cairnctl.EXIT_BAD_ARGS, e.getMessage());
            }
        }

        /**
         * One of a few words, in any case, as the value it stands for.
         *
         * @param what   what the word is, for the message: "policy"
         * @param words  the words allowed, in lower case, in the order the message lists them
         * @param values what each word stands for
         */
        static <T> T word(String what, String text, List<String> words, List<T> values) {
            int i = words.indexOf(text.toLowerCase(Locale.ROOT));
            if (i < 0) {
                throw new IllegalArgumentException("unknown " + what + " \"" + text + "\" (" + String.join(", ",
                        words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1) + ")");
            }
            return values.get(i);
        }
    }
}
