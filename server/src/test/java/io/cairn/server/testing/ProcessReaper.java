package io.cairn.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Kills what a test JVM left running when that JVM ended without its shutdown hooks, as when
 * the build's fork timeout halts it. {@link OwnedProcesses} starts one per test JVM and keeps
 * a roster file of the processes it owns; the reaper waits for the end of its standard input,
 * which comes when the test JVM is gone however it ended, then kills every process on the
 * roster that is still the one listed (same pid, same start time), with what it started.
 */
public final class ProcessReaper {
    private ProcessReaper() {
    }

    public static void main(String[] args) throws IOException {
        Path roster = Path.of(args[0]);
        while (System.in.read() >= 0) {
            // the test JVM writes nothing; end of input is its end
        }
        if (Files.exists(roster)) {
            List<ProcessHandle> left = new ArrayList<>();
            for (String line : Files.readAllLines(roster)) {
                String[] pidAndStart = line.trim().split(" ");
                if (pidAndStart.length != 2 || !pidAndStart[0].matches("\\d+") || !pidAndStart[1].matches("\\d+")) {
                    continue; // a start time the system did not tell cannot prove the pid is still ours
                }
                long start = Long.parseLong(pidAndStart[1]);
                ProcessHandle.of(Long.parseLong(pidAndStart[0]))
                        .filter(h -> startMillis(h) == start)
                        .ifPresent(h -> {
                            left.addAll(h.descendants().toList());
                            left.add(h);
                        });
            }
            left.forEach(ProcessHandle::destroyForcibly);
            Files.delete(roster);
        }
    }

    /** The roster line's start time of {@code process}; -1 where the system does not tell. */
    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    /** Replaces the roster with {@code owned}, pid and start time per line, atomically. */
    static void writeRoster(Path roster, Collection<Process> owned) {
        StringBuilder lines = new StringBuilder();
        for (Process p : owned) {
            lines.append(p.pid()).append(' ').append(startMillis(p.toHandle())).append('\n');
        }
        try {
            Path next = roster.resolveSibling(roster.getFileName() + ".next");
            Files.writeString(next, lines);
            Files.move(next, roster, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test process roster " + roster, e);
        }
    }

    /**
     * Starts a reaper for this JVM with a fresh roster; the started process's standard input
     * must stay open (referenced) for as long as this JVM runs.
     */
    static Started start() throws IOException {
        Path roster = Files.createTempFile("cairn-test-processes-", ".txt");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classes;
        try {
            classes = Path.of(ProcessReaper.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Process reaper = new ProcessBuilder(java, "-Xmx16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classes, ProcessReaper.class.getName(), roster.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new Started(reaper, roster);
    }

    /** A running reaper and the roster it will read. */
    record Started(Process process, Path roster) {
    }
}
