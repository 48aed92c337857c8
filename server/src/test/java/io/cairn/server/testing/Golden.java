package io.cairn.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A recording made by record-golden.sh: each "$ command" line, then what it printed. */
public final class Golden {
    public record Step(String command, String expected) {
    }

    private Golden() {
    }

    /**
     * Reads a recording from the class path (the server's test resources, e.g.
     * /etcdctl/seed-kv.golden) and checks that its commands are still exactly those of its
     * command file (seed-kv.commands), as record-golden.sh reads it: a command edited after the
     * recording would otherwise be held to what another command printed.
     */
    public static List<Step> read(String resource) throws IOException {
        List<Step> steps = parse(text(resource));
        List<String> commands = commands(text(resource.replaceAll("\\.golden$", ".commands")));
        List<String> recorded = steps.stream().map(Step::command).toList();
        if (!recorded.equals(commands)) {
            throw new IllegalStateException(resource + " no longer matches its command file; run record-golden.sh again."
                    + "\nrecorded: " + recorded + "\ncommands: " + commands);
        }
        return steps;
    }

    /** The lines record-golden.sh runs: all but comments and empty lines, in order. */
    static List<String> commands(String commandFile) {
        List<String> commands = new ArrayList<>();
        for (String line : commandFile.split("\n")) {
            if (!line.startsWith("#") && !line.isEmpty()) {
                commands.add(line);
            }
        }
        return commands;
    }

    static List<Step> parse(String text) {
        List<Step> steps = new ArrayList<>();
        String command = null;
        StringBuilder expected = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(command, expected.toString()));
                }
                command = line.substring(2);
                expected.setLength(0);
            } else if (command != null) {
                expected.append(line).append('\n');
            }
        }
        if (command != null) {
            String last = expected.toString();
            steps.add(new Step(command, last.endsWith("\n\n") ? last.substring(0, last.length() - 1) : last));
        }
        return steps;
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A new mask for one side of one replay (one for etcd's recording, one for what Cairn
     * printed, applied step by step in order). It masks only what is random: what
     * {@link Etcdctl#normalize} masks (cluster and member ids, the raft term, timestamps), the
     * member ids of "member list", and lease ids the server chose, each learnt from the line that granted it and numbered in
     * order of grant, so both sides must name the same lease at the same place. An id echoed
     * from a command (lease 0000000000001234) is compared as printed. A lease's seconds left
     * become "remaining(in TTL)" only when they lie within [0, TTL] of the same line.
     */
    public static UnaryOperator<String> mask() {
        Map<String, String> ids = new HashMap<>();
        return output -> {
            String text = Etcdctl.normalize(output);
            Matcher grant = GRANTED.matcher(text);
            while (grant.find()) {
                ids.putIfAbsent(grant.group(1), "LEASE-" + (ids.size() + 1));
            }
            Matcher member = MEMBER.matcher(text);
            while (member.find()) {
                ids.putIfAbsent(member.group(1), "MEMBER-" + (ids.size() + 1));
            }
            Matcher id = HEX_ID.matcher(text);
            StringBuilder named = new StringBuilder();
            while (id.find()) {
                id.appendReplacement(named, ids.getOrDefault(id.group(), id.group()));
            }
            text = id.appendTail(named).toString();
            Matcher left = REMAINING.matcher(text);
            StringBuilder checked = new StringBuilder();
            while (left.find()) {
                long ttl = Long.parseLong(left.group(1));
                long remaining = Long.parseLong(left.group(2));
                String within = remaining >= 0 && remaining <= ttl ? "in TTL" : left.group(2) + "s";
                left.appendReplacement(checked, "TTL(" + ttl + "s), remaining(" + within + ")");
            }
            return left.appendTail(checked).toString();
        };
    }

    /** etcdctl's answer to "lease grant": the only place a new lease id first appears. */
    private static final Pattern GRANTED = Pattern.compile("(?m)^lease ([0-9a-f]{16}) granted with TTL\\(\\d+s\\)$");
    /**
     * A line of "member list": member ids are chosen at random too, and printed without leading
     * zeros (%x), so one in sixteen is shorter than 16 digits.
     */
    private static final Pattern MEMBER = Pattern.compile("(?m)^([0-9a-f]{1,16}), (?:started|unstarted), ");
    /** A word that may be an id learnt above; only those are renamed. */
    private static final Pattern HEX_ID = Pattern.compile("\\b[0-9a-f]{1,16}\\b");
    private static final Pattern REMAINING = Pattern.compile("TTL\\((\\d+)s\\), remaining\\((-?\\d+)s\\)");
}
