package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * bin/cairnctl run as a user runs it, in bash, in a test's directory, against one endpoint:
 * commands that finish, and commands left running in the background printing to a file.
 */
final class Cairnctls {
    /** How long {@link #awaitOutput} waits. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Each cairnctl's --command-timeout: generous, for a machine shared with other builds. */
    private static final String TIMEOUT = " --command-timeout=20s";

    private final String endpoint;
    private final Path dir;

    /** @param dir the working directory, where background commands' output files go too */
    Cairnctls(String endpoint, Path dir) {
        this.endpoint = endpoint;
        this.dir = dir;
    }

    /** What a command printed (stdout and stderr together) and its exit code. */
    Etcdctl.Result run(String args) throws IOException, InterruptedException {
        return Etcdctl.run(endpoint, CairnProcess.repoRoot().resolve("bin/cairnctl") + " " + args + TIMEOUT, dir);
    }

    /** What a command that must succeed printed. */
    String ok(String args) throws IOException, InterruptedException {
        Etcdctl.Result r = run(args);
        assertThat(r.exit()).as(args + ": " + r.output()).isZero();
        return r.output();
    }

    /**
     * Runs each case, {command, the start of what it prints}: every one must exit with {@code exit}
     * and print that (an error line, stdout and stderr being one here).
     */
    void assertEachFails(int exit, String[][] cases) throws IOException, InterruptedException {
        for (String[] c : cases) {
            Etcdctl.Result result = run(c[0]);
            assertThat(result.exit()).as(c[0] + ": " + result.output()).isEqualTo(exit);
            assertThat(result.output()).as(c[0]).startsWith(c[1]);
        }
    }

    /** cairnctl started in the background, printing to {@code file}; the process is cairnctl's JVM itself (bin/cairnctl execs it). */
    Process background(String args, String file) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec " + CairnProcess.repoRoot().resolve("bin/cairnctl") + " " + args + TIMEOUT)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(file).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("ETCDCTL_ENDPOINTS", endpoint);
        return OwnedProcesses.own(pb.start());
    }

    /** Waits (up to {@link #WAIT}) until what {@code file} holds passes {@code done}, and answers it. */
    String awaitOutput(String file, Predicate<String> done) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Path f = dir.resolve(file);
        while (true) {
            String text = Files.exists(f) ? new String(Files.readAllBytes(f), StandardCharsets.UTF_8) : "";
            if (done.test(text)) {
                return text;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not get there within " + WAIT + "; it holds:\n" + text);
            }
            Thread.sleep(50);
        }
    }

    /** Runs {@code args} again (up to {@link #WAIT}) until it succeeds with output that passes {@code done}, and answers it. */
    String awaitOutputOf(String args, Predicate<String> done) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Etcdctl.Result r = run(args);
            if (r.exit() == 0 && done.test(r.output())) {
                return r.output();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(args + " did not get there within " + WAIT + "; it printed:\n" + r.output());
            }
            Thread.sleep(200);
        }
    }
}
