package io.cairn.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The extension's bookkeeping, driven by hand: JUnit calls afterEach whether the test passed
 * or failed, so what matters is what afterEach and afterAll kill.
 */
class OwnedProcessesTest {
    private final OwnedProcesses extension = new OwnedProcesses();

    @Test
    void aProcessStartedInATestAndWhatItStartedAreKilledAfterIt() throws Exception {
        extension.beforeEach(null);
        Process bash = OwnedProcesses.own(new ProcessBuilder("bash", "-c", "sleep 600 & sleep 600 & wait").start());
        awaitChildren(bash, 2);
        ProcessHandle child = bash.descendants().findFirst().orElseThrow();

        extension.afterEach(null);

        assertThat(bash.isAlive()).isFalse();
        assertThat(child.isAlive()).as("a process the test's process started").isFalse();
    }

    @Test
    void aProcessStartedBeforeAllOutlivesEachTestAndNotTheClass() throws Exception {
        extension.beforeAll(null);
        Process shared = OwnedProcesses.own(new ProcessBuilder("sleep", "600").start());
        extension.beforeEach(null);
        Process own = OwnedProcesses.own(new ProcessBuilder("sleep", "600").start());
        extension.afterEach(null);
        assertThat(own.isAlive()).isFalse();
        assertThat(shared.isAlive()).isTrue();

        extension.afterAll(null);
        assertThat(shared.isAlive()).isFalse();
    }

    @Test
    void whatAHaltedTestJvmOwnedIsKilledByItsReaper() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process testJvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HaltingTestJvm.class.getName())
                .redirectErrorStream(true).start();
        ProcessHandle owned = null;
        try {
            String out = new String(testJvm.getInputStream().readAllBytes()).trim();
            assertThat(testJvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("the halting JVM printed its owned process's pid").matches("\\d+");
            owned = ProcessHandle.of(Long.parseLong(out)).orElse(null);
            if (owned != null) {
                owned.onExit().get(20, TimeUnit.SECONDS); // times out if the reaper left it running
            }
        } finally {
            testJvm.destroyForcibly();
            if (owned != null) {
                owned.destroyForcibly();
            }
        }
    }

    /** A test JVM that owns a process and halts, as surefire's fork timeout makes it do. */
    public static final class HaltingTestJvm {
        public static void main(String[] args) throws Exception {
            new OwnedProcesses().beforeEach(null);
            Process sleeper = OwnedProcesses.own(new ProcessBuilder("sleep", "600").start());
            System.out.println(sleeper.pid());
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void awaitChildren(Process p, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.descendants().count() < count) {
            assertThat(System.nanoTime()).as("bash started its children").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
