package io.cairn.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Kills every process a test started when the test ends, passed or failed, so that a failed
 * assertion never leaves a member running into the next test (holding its ports, its data dir,
 * a CPU). Use with {@code @ExtendWith(OwnedProcesses.class)} on the test class.
 *
 * <p>The harness ({@link CairnProcess}, {@link EtcdProcess}, {@link Etcdctl}) hands each
 * process it starts to {@link #own}. A process started in a test method or its
 * {@code @BeforeEach} is killed after that test; one started in {@code @BeforeAll}, after the
 * class. Killing waits for the process to be gone, and JUnit deletes a {@code @TempDir} only
 * after these callbacks, so no member still writes into a directory being deleted.
 *
 * <p>A JVM shutdown hook kills whatever is still owned when the test JVM exits. The build's
 * fork timeout halts the JVM without running hooks, and SIGKILL does the same; for those a
 * {@link ProcessReaper} started with this class outlives the JVM and kills what its roster
 * still lists.
 *
 * <p>Tests run one at a time in a JVM (no JUnit parallel execution), so the scopes are one
 * stack shared by every thread; a process started by a test's helper thread belongs to the test.
 */
public final class OwnedProcesses implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    /** Innermost scope last: the class's, then the running test's. */
    private static final Deque<Set<Process>> SCOPES = new ArrayDeque<>();
    /** Held so that the reaper's standard input stays open while this JVM runs. */
    private static final Process REAPER;
    private static final Path ROSTER;
    private static boolean reaperLossReported;

    static {
        try {
            ProcessReaper.Started reaper = ProcessReaper.start();
            REAPER = reaper.process();
            ROSTER = reaper.roster();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test process reaper", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                for (Process p : List.copyOf(LIVE)) {
                    kill(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kill-owned-test-processes"));
    }

    /** Registers {@code process} with the current test (or class); returns it. */
    public static Process own(Process process) {
        Set<Process> scope;
        synchronized (SCOPES) {
            scope = SCOPES.peekLast();
        }
        LIVE.add(process);
        if (scope != null) {
            scope.add(process);
        }
        process.onExit().thenRun(() -> {
            LIVE.remove(process);
            if (scope != null) {
                scope.remove(process);
            }
            writeRoster();
        });
        writeRoster();
        return process;
    }

    /**
     * SIGKILL to {@code process} and to every process it started, then waits up to 30 s for
     * them to be gone; true if they are. Descendants are listed first: once the parent is dead
     * they are re-parented and no longer found.
     */
    public static boolean kill(Process process) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(0, process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                throw new AssertionError(e); // onExit futures do not fail
            }
        }
        return true;
    }

    /** Brings the reaper's roster up to date; a failure costs only the halted-JVM safety net. */
    private static void writeRoster() {
        synchronized (ROSTER) {
            try {
                ProcessReaper.writeRoster(ROSTER, List.copyOf(LIVE));
            } catch (RuntimeException e) {
                System.err.println("OwnedProcesses: " + e.getMessage());
            }
            if (!REAPER.isAlive() && !reaperLossReported) {
                reaperLossReported = true;
                System.err.println("OwnedProcesses: the process reaper has ended (" + REAPER.exitValue()
                        + "); a halted test JVM would leave its processes running");
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        open();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        close();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        close();
    }

    private static void open() {
        synchronized (SCOPES) {
            SCOPES.addLast(ConcurrentHashMap.newKeySet());
        }
    }

    private static void close() throws InterruptedException {
        Set<Process> scope;
        synchronized (SCOPES) {
            scope = SCOPES.pollLast();
        }
        List<Long> survivors = new ArrayList<>();
        for (Process p : List.copyOf(scope)) {
            if (p.isAlive() && !kill(p)) {
                survivors.add(p.pid());
            }
        }
        if (!survivors.isEmpty()) {
            throw new IllegalStateException("processes still alive 30 s after SIGKILL: " + survivors);
        }
    }
}
