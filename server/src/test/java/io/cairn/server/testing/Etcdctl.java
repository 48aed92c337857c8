package io.cairn.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The real etcdctl (Debian's etcd-client, 3.4), run through bash as a user runs it. */
public final class Etcdctl {
    private static final Path BINARY = Path.of("/usr/bin/etcdctl");

    /** What a command printed (stdout and stderr together) and its exit code. */
    public record Result(String output, int exit) {
    }

    private Etcdctl() {
    }

    public static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("these tests need the real etcdctl: apt-get install etcd-client (.ci/run does)");
        }
    }

    /** How long a command may run before it is killed and the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Runs {@code command} in bash with etcdctl talking v3 to {@code endpoint}. */
    public static Result run(String endpoint, String command) throws IOException, InterruptedException {
        return run(endpoint, command, (Path) null);
    }

    /** As {@link #run(String, String)}, killed (and failing) after {@code timeout}. */
    public static Result run(String endpoint, String command, Duration timeout) throws IOException, InterruptedException {
        return run(endpoint, command, null, null, timeout);
    }

    /** As {@link #run(String, String)}, in the working directory {@code cwd} (null: this one). */
    public static Result run(String endpoint, String command, Path cwd) throws IOException, InterruptedException {
        return run(endpoint, command, cwd, null);
    }

    /**
     * As {@link #run(String, String, Path)}, with {@code binDir} first on the PATH, so that a
     * program there named etcdctl (cairnctl, say) answers instead of the real one.
     */
    public static Result run(String endpoint, String command, Path cwd, Path binDir) throws IOException, InterruptedException {
        return run(endpoint, command, cwd, binDir, TIMEOUT);
    }

    /**
     * The general form. Output goes to a file rather than a pipe: reading a pipe to its end
     * waits for every process holding it, a command in the background included, so a timeout
     * checked after the read could never fire. After {@code timeout} the command and everything
     * it started are killed and an AssertionError carries what it printed so far.
     */
    public static Result run(String endpoint, String command, Path cwd, Path binDir, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("etcdctl", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            if (binDir != null) {
                pb.environment().put("PATH", binDir + ":" + System.getenv("PATH"));
            }
            pb.environment().put("ETCDCTL_API", "3");
            pb.environment().put("ETCDCTL_ENDPOINTS", endpoint);
            Process p = OwnedProcesses.own(pb.start());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                OwnedProcesses.kill(p);
                throw new AssertionError("did not finish within " + timeout + ", killed: " + command
                        + "\noutput so far:\n" + output(out));
            }
            return new Result(output(out), p.exitValue());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** What the command printed; bytes that are not UTF-8 become U+FFFD, as before. */
    private static String output(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /**
     * Masks what legitimately differs between two servers and two runs: cluster and member
     * ids, the raft term, timestamps and client ids in etcdctl's retry warnings, and ports.
     */
    public static String normalize(String output) {
        return output
                .replaceAll("\"cluster_id\":\\d+", "\"cluster_id\":0")
                .replaceAll("\"member_id\":\\d+", "\"member_id\":0")
                .replaceAll("\"raft_term\":\\d+", "\"raft_term\":0")
                .replaceAll("\"ts\":\"[^\"]*\"", "\"ts\":\"\"")
                .replaceAll("endpoint://client-[0-9a-f-]+/127\\.0\\.0\\.1:\\d+", "endpoint://client/127.0.0.1");
    }

    /**
     * Also masks what differs between runs of lease commands: server-chosen lease ids and the
     * seconds a lease has left.
     */
    public static String normalizeLeases(String output) {
        return normalize(output)
                .replaceAll("\\b[0-9a-f]{16}\\b", "LEASE")
                .replaceAll("remaining\\(\\d+s\\)", "remaining(Ns)");
    }
}
