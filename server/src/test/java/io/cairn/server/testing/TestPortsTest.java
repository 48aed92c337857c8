package io.cairn.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-port pool: outside the ephemeral range, per-JVM starting points, busy ports skipped. */
class TestPortsTest {
    @TempDir
    Path dir;

    @Test
    void theEphemeralRangeIsReadFromProcOrDefaultsToIanas() throws Exception {
        Path range = Files.writeString(dir.resolve("ip_local_port_range"), "32768\t60999\n");
        assertThat(TestPorts.ephemeralRange(range)).containsExactly(32768, 60999);
        assertThat(TestPorts.ephemeralRange(dir.resolve("missing"))).containsExactly(49152, 65535);
    }

    @Test
    void portsComeFromBelowThisMachinesEphemeralRange() {
        int[] ephemeral = TestPorts.ephemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        for (int i = 0; i < 20; i++) {
            int port = TestPorts.next();
            assertThat(port).isBetween(TestPorts.POOL_FLOOR, 65535)
                    .satisfiesAnyOf(p -> assertThat(p).isLessThan(ephemeral[0]),
                            p -> assertThat(p).isGreaterThan(ephemeral[1]));
        }
    }

    @Test
    void differentPidsStartOnDifferentStretches() {
        int low = 10_000;
        int high = 32_768;
        assertThat(TestPorts.startFor(4242, low, high)).isNotEqualTo(TestPorts.startFor(4243, low, high));
        for (long pid : new long[] {1, 4242, 99_999, 4_194_303}) {
            int start = TestPorts.startFor(pid, low, high);
            assertThat(start).isBetween(low, high - TestPorts.STRIDE);
            assertThat((start - low) % TestPorts.STRIDE).isZero();
        }
    }

    @Test
    void aPortSomeoneHoldsIsSkipped() throws Exception {
        int first = TestPorts.next();
        try (ServerSocket taken = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
            TestPorts pool = new TestPorts(first, first + 50, first);
            int port = pool.take();
            assertThat(port).isNotEqualTo(first).isBetween(first + 1, first + 49);
            assertThat(TestPorts.bindable(port)).isTrue();
        }
    }

    @Test
    void aPoolWithNothingFreeFailsInsteadOfLooping() throws Exception {
        int only = TestPorts.next();
        try (ServerSocket taken = new ServerSocket(only, 1, InetAddress.getLoopbackAddress())) {
            TestPorts pool = new TestPorts(only, only + 1, only);
            assertThatThrownBy(pool::take).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no bindable port");
        }
    }
}
