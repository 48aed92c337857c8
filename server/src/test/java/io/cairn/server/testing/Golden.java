package io.cairn.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A recording made by record-golden.sh: each "$ command" line, then what it printed. */
public final class Golden {
    public record Step(String command, String expected) {
    }

    private Golden() {
    }

    /** Reads a recording from the class path (the server's test resources, e.g. /etcdctl/seed-kv.golden). */
    public static List<Step> read(String resource) throws IOException {
        String text;
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no recording " + resource + " on the class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
}
