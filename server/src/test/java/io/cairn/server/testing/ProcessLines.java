package io.cairn.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A process's output read line by line on a thread of its own, so that a test waiting for a
 * line gives up at its deadline even when the process neither prints nor ends.
 */
public final class ProcessLines {
    private final String name;
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

    private ProcessLines(String name, Process process) {
        this.name = name;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(Optional.of(line));
                }
            } catch (IOException e) {
                lines.add(Optional.of("(output unreadable: " + e.getMessage() + ")"));
            }
            lines.add(Optional.empty());
        }, "lines-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts reading {@code process}'s standard output; {@code name} is for failure messages. */
    public static ProcessLines of(String name, Process process) {
        return new ProcessLines(name, process);
    }

    /**
     * The lines read from here on, up to and including the first that starts with
     * {@code marker}. Fails, with what was read, if the output ends or {@code limit} passes first.
     */
    public List<String> until(String marker, Duration limit) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<String> line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(name + " printed no line starting with " + marker + " within " + limit
                        + "; it printed:\n" + String.join("\n", seen));
            }
            if (line.isEmpty()) {
                lines.add(line); // the end stays the end for the next call
                throw new AssertionError(name + " ended before a line starting with " + marker
                        + "; it printed:\n" + String.join("\n", seen));
            }
            seen.add(line.get());
            if (line.get().startsWith(marker)) {
                return seen;
            }
        }
    }
}
