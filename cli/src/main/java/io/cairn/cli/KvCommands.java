package io.cairn.cli;

import io.cairn.client.Bytes;
import io.cairn.client.Client;
import io.cairn.client.Cmp;
import io.cairn.client.Delete;
import io.cairn.client.DeleteResponse;
import io.cairn.client.GetResponse;
import io.cairn.client.KeyValue;
import io.cairn.client.Keys;
import io.cairn.client.Op;
import io.cairn.client.OpResponse;
import io.cairn.client.PutResponse;
import io.cairn.client.TxnResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** put, get, del, txn and compaction, as etcdctl has them. */
final class KvCommands {
    private KvCommands() {
    }

    /** The key a request starts at: as etcd's client, a prefix of "" is every key, from "\0". */
    static Bytes startKey(Bytes key, boolean prefix) {
        return prefix && key.isEmpty() ? Keys.FROM_KEY : key;
    }

    /** The range end of etcdctl's [key [end]] --prefix --from-key. */
    static Bytes rangeEnd(Bytes key, String end, boolean prefix, boolean fromKey) {
        if (prefix) {
            return key.isEmpty() ? Keys.FROM_KEY : Keys.prefixEnd(key);
        }
        if (fromKey) {
            return Keys.FROM_KEY;
        }
        return end == null ? Bytes.EMPTY : Bytes.of(end);
    }

    @Command(name = "put", description = "Puts the given key into the store.")
    static final class Put extends Base {
        @Parameters(index = "0", description = "key")
        String key;

        @Parameters(index = "1", arity = "0..1", description = "value (read from stdin when absent)")
        String value;

        @Option(names = "--lease", defaultValue = "0", description = "lease ID (in hexadecimal) to attach to the key")
        String lease;

        @Option(names = "--prev-kv", description = "return the previous key-value pair before modification")
        boolean prevKv;

        @Option(names = "--ignore-value", description = "updates the key using its current value")
        boolean ignoreValue;

        @Option(names = "--ignore-lease", description = "updates the key using its current lease")
        boolean ignoreLease;

        @Override
        int run(Client client) throws IOException {
            String v = value;
            if (v == null && !ignoreValue) {
                v = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            PutResponse resp = await(client.kv().put(request(v)));
            if (json()) {
                printJson(GoJson.put(resp));
                return 0;
            }
            out().println("OK");
            if (resp.prevKv() != null) {
                printKv(resp.prevKv(), false);
            }
            return 0;
        }

        /**
         * The put of this command's key and flags, with {@code v} (null: none) as its value. A
         * value given with --ignore-value is refused as etcdctl refuses it (the SDK's put would
         * drop it).
         */
        io.cairn.client.Put request(String v) {
            if (ignoreValue && value != null) {
                throw new Cairnctl.Exit(Cairnctl.EXIT_BAD_ARGS, "put command needs only 1 argument when 'ignore-value' is set");
            }
            io.cairn.client.Put r = io.cairn.client.Put.key(Bytes.of(key), v == null ? Bytes.EMPTY : Bytes.of(v)).lease(hex(lease));
            if (prevKv) {
                r.prevKv();
            }
            if (ignoreValue) {
                r.ignoreValue();
            }
            if (ignoreLease) {
                r.ignoreLease();
            }
            return r;
        }
    }

    @Command(name = "get", description = "Gets the key or a range of keys.")
    static final class Get extends Base {
        @Parameters(index = "0", description = "key")
        String key;

        @Parameters(index = "1", arity = "0..1", description = "range end")
        String end;

        @Option(names = "--prefix", description = "get keys with matching prefix")
        boolean prefix;

        @Option(names = "--from-key", description = "get keys that are greater than or equal to the given key")
        boolean fromKey;

        @Option(names = "--limit", defaultValue = "0", description = "maximum number of results")
        long limit;

        @Option(names = "--rev", defaultValue = "0", description = "specify the kv revision")
        long rev;

        @Option(names = "--consistency", defaultValue = "l", description = "linearizable (l) or serializable (s)")
        String consistency;

        @Option(names = "--sort-by", description = "sort target: CREATE, KEY, MODIFY, VALUE, or VERSION")
        String sortBy;

        @Option(names = "--order", description = "order of results: ASCEND or DESCEND (ASCEND by default)")
        String order;

        @Option(names = "--print-value-only", description = "only write values when using the simple output format")
        boolean valueOnly;

        @Option(names = "--keys-only", description = "get only the keys")
        boolean keysOnly;

        @Option(names = "--count-only", description = "get only the count")
        boolean countOnly;

        @Override
        int run(Client client) {
            GetResponse resp = await(client.kv().get(request()));
            if (json()) {
                printJson(GoJson.get(resp));
            } else if (countOnly) {
                out().println(resp.count());
            } else {
                for (KeyValue kv : resp.kvs()) {
                    printKv(kv, valueOnly);
                }
            }
            return 0;
        }

        io.cairn.client.Get request() {
            Bytes k = Bytes.of(key);
            io.cairn.client.Get r = io.cairn.client.Get.key(startKey(k, prefix)).rangeEnd(rangeEnd(k, end, prefix, fromKey))
                    .limit(limit).revision(rev);
            if (consistency.equals("s")) {
                r.serializable();
            }
            if (keysOnly) {
                r.keysOnly();
            }
            if (countOnly) {
                r.countOnly();
            }
            if (sortBy != null || order != null) {
                String target = sortBy == null ? "KEY" : sortBy.equals("MODIFY") ? "MOD" : sortBy.toUpperCase();
                r.sortBy(io.cairn.client.Get.SortTarget.valueOf(target),
                        io.cairn.client.Get.SortOrder.valueOf(order == null ? "ASCEND" : order.toUpperCase()));
            }
            return r;
        }
    }

    @Command(name = "del", description = "Removes the specified key or range of keys [key, range_end).")
    static final class Del extends Base {
        @Parameters(index = "0", description = "key")
        String key;

        @Parameters(index = "1", arity = "0..1", description = "range end")
        String end;

        @Option(names = "--prefix", description = "delete keys with matching prefix")
        boolean prefix;

        @Option(names = "--from-key", description = "delete keys that are greater than or equal to the given key")
        boolean fromKey;

        @Option(names = "--prev-kv", description = "return deleted key-value pairs")
        boolean prevKv;

        @Override
        int run(Client client) {
            DeleteResponse resp = await(client.kv().delete(request()));
            if (json()) {
                printJson(GoJson.delete(resp));
                return 0;
            }
            out().println(resp.deleted());
            for (KeyValue kv : resp.prevKvs()) {
                printKv(kv, false);
            }
            return 0;
        }

        Delete request() {
            Bytes k = Bytes.of(key);
            Delete r = Delete.key(startKey(k, prefix)).rangeEnd(rangeEnd(k, end, prefix, fromKey));
            if (prevKv) {
                r.prevKv();
            }
            return r;
        }
    }

    @Command(name = "compaction", description = "Compacts the event history in etcd.")
    static final class Compaction extends Base {
        @Parameters(index = "0", description = "revision")
        long revision;

        @Option(names = "--physical", description = "wait for the compaction to physically remove the history")
        boolean physical;

        @Override
        int run(Client client) {
            await(client.kv().compact(revision, physical));
            out().println("compacted revision " + revision);
            return 0;
        }
    }

    @Command(name = "txn", description = "Txn processes all the requests in one transaction.")
    static final class Txn extends Base {
        private static final Pattern COMPARE = Pattern.compile(
                "(value|version|create|mod|lease)\\(\"(.*)\"\\) (=|!=|<|>) \"?([^\"]*)\"?");

        @Option(names = {"-i", "--interactive"}, description = "input transaction in interactive mode")
        boolean interactive;

        @Override
        int run(Client client) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            io.cairn.client.Txn txn = client.kv().txn();
            prompt("compares:");
            for (String line : block(in)) {
                txn.when(compare(line));
            }
            prompt("success requests (get, put, del):");
            for (String line : block(in)) {
                txn.then(op(line));
            }
            prompt("failure requests (get, put, del):");
            for (String line : block(in)) {
                txn.otherwise(op(line));
            }
            TxnResponse resp = await(txn.commit());
            if (json()) {
                printJson(GoJson.txn(resp));
                return 0;
            }
            out().println(resp.succeeded() ? "SUCCESS" : "FAILURE");
            for (OpResponse r : resp.responses()) {
                out().println();
                if (r instanceof PutResponse) {
                    out().println("OK");
                } else if (r instanceof DeleteResponse d) {
                    out().println(d.deleted());
                } else if (r instanceof GetResponse g) {
                    g.kvs().forEach(kv -> printKv(kv, false));
                }
            }
            return 0;
        }

        private void prompt(String text) {
            if (interactive) {
                out().println(text);
            }
        }

        /** Lines up to a blank one; the input ending first is etcdctl's "EOF". */
        private static List<String> block(BufferedReader in) throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    throw new Cairnctl.Exit(Cairnctl.EXIT_INVALID_INPUT, "EOF");
                }
                if (line.isBlank()) {
                    return lines;
                }
                lines.add(line.trim());
            }
        }

        private static Cmp.Condition compare(String line) {
            Matcher m = COMPARE.matcher(line);
            if (!m.matches()) {
                throw new Cairnctl.Exit(Cairnctl.EXIT_INVALID_INPUT, "malformed comparison: " + line);
            }
            String key = m.group(2);
            String op = m.group(3);
            String operand = m.group(4);
            if (m.group(1).equals("value")) {
                return switch (op) {
                    case "=" -> Cmp.value(key).eq(operand);
                    case "!=" -> Cmp.value(key).ne(operand);
                    case "<" -> Cmp.value(key).lt(operand);
                    default -> Cmp.value(key).gt(operand);
                };
            }
            Cmp target = switch (m.group(1)) {
                case "version" -> Cmp.version(key);
                case "create" -> Cmp.createRevision(key);
                case "mod" -> Cmp.modRevision(key);
                default -> Cmp.lease(key);
            };
            long number = m.group(1).equals("lease") ? hex(operand) : Long.parseLong(operand);
            return switch (op) {
                case "=" -> target.eq(number);
                case "!=" -> target.ne(number);
                case "<" -> target.lt(number);
                default -> target.gt(number);
            };
        }

        /** One line of a branch, read as the put, get or del command it names. */
        private static Op op(String line) {
            List<String> words = words(line);
            String name = words.isEmpty() ? "" : words.get(0);
            String[] args = words.subList(Math.min(1, words.size()), words.size()).toArray(new String[0]);
            switch (name) {
                case "put" -> {
                    Put put = new Put();
                    new CommandLine(put).parseArgs(args);
                    return Op.put(put.request(put.value));
                }
                case "get" -> {
                    Get get = new Get();
                    new CommandLine(get).parseArgs(args);
                    return Op.get(get.request());
                }
                case "del" -> {
                    Del del = new Del();
                    new CommandLine(del).parseArgs(args);
                    return Op.delete(del.request());
                }
                default -> throw new Cairnctl.Exit(Cairnctl.EXIT_INVALID_INPUT, "invalid txn request: " + line);
            }
        }

        /** Splits a line as a shell would, honouring double and single quotes. */
        static List<String> words(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            char quote = 0;
            for (char ch : line.toCharArray()) {
                if (quote != 0) {
                    if (ch == quote) {
                        quote = 0;
                    } else {
                        word.append(ch);
                    }
                } else if (ch == '"' || ch == '\'') {
                    quote = ch;
                    word = word == null ? new StringBuilder() : word;
                } else if (Character.isWhitespace(ch)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(ch);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
