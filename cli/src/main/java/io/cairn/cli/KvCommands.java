package io.cairn.cli;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.DeleteRangeResponse;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.PutResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.ResponseOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.client.Client;
import io.cairn.client.Keys;
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
    static ByteString startKey(ByteString key, boolean prefix) {
        return prefix && key.isEmpty() ? Keys.FROM_KEY : key;
    }

    /** The range end of etcdctl's [key [end]] --prefix --from-key. */
    static ByteString rangeEnd(ByteString key, String end, boolean prefix, boolean fromKey) {
        if (prefix) {
            return key.isEmpty() ? Keys.FROM_KEY : Keys.prefixEnd(key);
        }
        if (fromKey) {
            return Keys.FROM_KEY;
        }
        return end == null ? ByteString.EMPTY : ByteString.copyFromUtf8(end);
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
            PutRequest.Builder r = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setLease(hex(lease))
                    .setPrevKv(prevKv).setIgnoreValue(ignoreValue).setIgnoreLease(ignoreLease);
            if (v != null) {
                r.setValue(ByteString.copyFromUtf8(v));
            }
            PutResponse resp = await(client.unary(KVGrpc.getPutMethod(), r.build(), false));
            if (json()) {
                printJson(resp);
                return 0;
            }
            out().println("OK");
            if (resp.hasPrevKv()) {
                printKv(resp.getPrevKv(), false);
            }
            return 0;
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
            RangeResponse resp = await(client.unary(KVGrpc.getRangeMethod(), request(), true));
            if (json()) {
                printJson(resp);
            } else if (countOnly) {
                out().println(resp.getCount());
            } else {
                for (KeyValue kv : resp.getKvsList()) {
                    printKv(kv, valueOnly);
                }
            }
            return 0;
        }

        RangeRequest request() {
            ByteString k = ByteString.copyFromUtf8(key);
            RangeRequest.Builder r = RangeRequest.newBuilder().setKey(startKey(k, prefix)).setRangeEnd(rangeEnd(k, end, prefix, fromKey))
                    .setLimit(limit).setRevision(rev).setSerializable(consistency.equals("s"))
                    .setKeysOnly(keysOnly).setCountOnly(countOnly);
            if (sortBy != null || order != null) {
                r.setSortTarget(sortBy == null ? RangeRequest.SortTarget.KEY
                        : RangeRequest.SortTarget.valueOf(sortBy.equals("MODIFY") ? "MOD" : sortBy.toUpperCase()));
                r.setSortOrder(order == null ? RangeRequest.SortOrder.ASCEND : RangeRequest.SortOrder.valueOf(order.toUpperCase()));
            }
            return r.build();
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
            DeleteRangeResponse resp = await(client.unary(KVGrpc.getDeleteRangeMethod(), request(), false));
            if (json()) {
                printJson(resp);
                return 0;
            }
            out().println(resp.getDeleted());
            for (KeyValue kv : resp.getPrevKvsList()) {
                printKv(kv, false);
            }
            return 0;
        }

        DeleteRangeRequest request() {
            ByteString k = ByteString.copyFromUtf8(key);
            return DeleteRangeRequest.newBuilder().setKey(startKey(k, prefix)).setRangeEnd(rangeEnd(k, end, prefix, fromKey))
                    .setPrevKv(prevKv).build();
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
            await(client.unary(KVGrpc.getCompactMethod(),
                    CompactionRequest.newBuilder().setRevision(revision).setPhysical(physical).build(), false));
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
            TxnRequest.Builder txn = TxnRequest.newBuilder();
            prompt("compares:");
            for (String line : block(in)) {
                txn.addCompare(compare(line));
            }
            prompt("success requests (get, put, del):");
            for (String line : block(in)) {
                txn.addSuccess(op(line));
            }
            prompt("failure requests (get, put, del):");
            for (String line : block(in)) {
                txn.addFailure(op(line));
            }
            TxnResponse resp = await(client.unary(KVGrpc.getTxnMethod(), txn.build(), false));
            if (json()) {
                printJson(resp);
                return 0;
            }
            out().println(resp.getSucceeded() ? "SUCCESS" : "FAILURE");
            for (ResponseOp r : resp.getResponsesList()) {
                out().println();
                switch (r.getResponseCase()) {
                    case RESPONSE_PUT -> out().println("OK");
                    case RESPONSE_DELETE_RANGE -> out().println(r.getResponseDeleteRange().getDeleted());
                    case RESPONSE_RANGE -> r.getResponseRange().getKvsList().forEach(kv -> printKv(kv, false));
                    default -> { }
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

        private static Compare compare(String line) {
            Matcher m = COMPARE.matcher(line);
            if (!m.matches()) {
                throw new Cairnctl.Exit(Cairnctl.EXIT_INVALID_INPUT, "malformed comparison: " + line);
            }
            Compare.Builder c = Compare.newBuilder().setKey(ByteString.copyFromUtf8(m.group(2)));
            c.setResult(switch (m.group(3)) {
                case "=" -> Compare.CompareResult.EQUAL;
                case "!=" -> Compare.CompareResult.NOT_EQUAL;
                case "<" -> Compare.CompareResult.LESS;
                default -> Compare.CompareResult.GREATER;
            });
            String operand = m.group(4);
            switch (m.group(1)) {
                case "value" -> c.setTarget(Compare.CompareTarget.VALUE).setValue(ByteString.copyFromUtf8(operand));
                case "version" -> c.setTarget(Compare.CompareTarget.VERSION).setVersion(Long.parseLong(operand));
                case "create" -> c.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(Long.parseLong(operand));
                case "mod" -> c.setTarget(Compare.CompareTarget.MOD).setModRevision(Long.parseLong(operand));
                default -> c.setTarget(Compare.CompareTarget.LEASE).setLease(hex(operand));
            }
            return c.build();
        }

        /** One line of a branch, read as the put, get or del command it names. */
        private static RequestOp op(String line) {
            List<String> words = words(line);
            String name = words.isEmpty() ? "" : words.get(0);
            String[] args = words.subList(Math.min(1, words.size()), words.size()).toArray(new String[0]);
            switch (name) {
                case "put" -> {
                    Put put = new Put();
                    new CommandLine(put).parseArgs(args);
                    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8(put.key))
                            .setValue(ByteString.copyFromUtf8(put.value == null ? "" : put.value))
                            .setLease(hex(put.lease)).setPrevKv(put.prevKv)
                            .setIgnoreValue(put.ignoreValue).setIgnoreLease(put.ignoreLease)).build();
                }
                case "get" -> {
                    Get get = new Get();
                    new CommandLine(get).parseArgs(args);
                    return RequestOp.newBuilder().setRequestRange(get.request()).build();
                }
                case "del" -> {
                    Del del = new Del();
                    new CommandLine(del).parseArgs(args);
                    return RequestOp.newBuilder().setRequestDeleteRange(del.request()).build();
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
