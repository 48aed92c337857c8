package io.cairn.samples;

import io.cairn.server.testing.OwnedProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One sample running in its own JVM as its README starts it, its output in a log file. */
final class SampleProcess {
    private final String name;
    private final Path log;
    private final Process process;

    private SampleProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** The samples' directory: where their target folders are. */
    static Path samplesDir() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return dir.getFileName().toString().equals("samples-it") ? dir.getParent() : dir.resolve("samples");
    }

    /** {@code java -jar <sample>/target/<sample>-exec.jar} with {@code env} set. */
    static SampleProcess boot(String sample, String name, Path logs, Map<String, String> env) throws IOException {
        return start(name, logs, env, "-jar", samplesDir().resolve(sample).resolve("target").resolve(sample + "-exec.jar").toString());
    }

    static SampleProcess start(String name, Path logs, Map<String, String> env, String... javaArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        cmd.addAll(List.of(javaArgs));
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new SampleProcess(name, log, OwnedProcesses.own(pb.start()));
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits until the log holds {@code text}; fails with the log if the process exits or time runs out. */
    void awaitLog(String text, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before saying \"" + text + "\":\n" + log());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not say \"" + text + "\" in " + seconds + " s:\n" + log());
    }

    /** Sends a signal (STOP, CONT) to the process. */
    void signal(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }
}
