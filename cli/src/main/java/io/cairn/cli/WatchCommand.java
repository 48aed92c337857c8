package io.cairn.cli;

import io.cairn.client.Bytes;
import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.Event;
import io.cairn.client.Watch;
import io.cairn.client.WatchKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** watch, as etcdctl prints it: the event type, the previous key and value if asked, the key and value. */
@Command(name = "watch", description = "Watches events stream on keys or prefixes.")
final class WatchCommand extends Base {
    @Parameters(index = "0", arity = "0..1", description = "key")
    String key;

    @Parameters(index = "1", arity = "0..1", description = "range end")
    String end;

    @Option(names = "--prefix", description = "Watch on a prefix if prefix is set")
    boolean prefix;

    @Option(names = "--rev", defaultValue = "0", description = "Revision to start watching")
    long rev;

    @Option(names = "--prev-kv", description = "get the previous key-value pair before the event happens")
    boolean prevKv;

    @Option(names = {"-i", "--interactive"}, description = "Interactive mode")
    boolean interactive;

    /** Completes with an exit code when a watch is cancelled by the server. */
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();

    @Override
    int run(Client client) throws Exception {
        if (interactive) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<String> words = KvCommands.Txn.words(line);
                if (words.isEmpty() || !words.get(0).equals("watch")) {
                    root().err.println("Invalid command: " + line);
                    continue;
                }
                WatchCommand one = new WatchCommand();
                new CommandLine(one).parseArgs(words.subList(1, words.size()).toArray(new String[0]));
                start(client, one);
            }
        } else {
            start(client, this);
        }
        return ended.get();
    }

    private void start(Client client, WatchCommand w) {
        if (w.key == null) {
            throw new Cairnctl.Exit(Cairnctl.EXIT_BAD_ARGS, "watch needs a key");
        }
        Bytes k = Bytes.of(w.key);
        WatchKey what = WatchKey.range(KvCommands.startKey(k, w.prefix), KvCommands.rangeEnd(k, w.end, w.prefix, false))
                .fromRevision(w.rev);
        if (w.prevKv) {
            what.prevKv();
        }
        client.watch().watch(what, new Watch.Listener() {
            @Override
            public void onEvents(List<Event> events) {
                synchronized (WatchCommand.this) {
                    for (Event e : events) {
                        out().println(e.type().name());
                        if (e.prevKv() != null) {
                            printKv(e.prevKv(), false);
                        }
                        printKv(e.kv(), false);
                    }
                }
            }

            @Override
            public void onCompacted(long compactRevision) {
                cancelled("etcdserver: mvcc: required revision has been compacted");
            }

            @Override
            public void onError(CairnException error) {
                cancelled(error.getMessage());
            }
        });
    }

    private synchronized void cancelled(String reason) {
        out().println("watch was canceled (" + reason + ")");
        root().err.println("Error: watch is canceled by the server");
        ended.complete(Cairnctl.EXIT_INTERRUPTED);
    }
}
