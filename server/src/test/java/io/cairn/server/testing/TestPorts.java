package io.cairn.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loopback ports for test members, taken from a per-JVM pool outside the kernel's ephemeral
 * range.
 *
 * <p>Why not {@code new ServerSocket(0)}: that port comes from the ephemeral range, and is free
 * only until the socket closes. Until the member binds it, any outgoing connection on the
 * machine — the members' own raft and gRPC connections, other developers' test runs — can be
 * given the same port by the kernel. Ports below the ephemeral range are never handed out that
 * way; only a process that asks for one by number can take it.
 *
 * <p>Each JVM starts at a point of the pool derived from its pid, so concurrent test JVMs
 * (forks, modules, other worktrees) mostly walk disjoint stretches, and skips any port it cannot
 * bind at that moment. A clash remains possible (another process may bind a port between the
 * check and the member's start), so starters retry on fresh ports: see {@link CairnProcess#start()}
 * and {@link CairnCluster#start}.
 *
 * <p>Thread-safe.
 */
public final class TestPorts {
    /** Ports below this are left alone: well-known and registered services live there. */
    static final int POOL_FLOOR = 10_000;
    /** Each JVM's starting point is a multiple of this above the floor. */
    static final int STRIDE = 256;

    private static final TestPorts SHARED = forThisMachine();

    private final int low;
    private final int high;
    private int next;

    /** A pool of ports {@code [low, high)}, walked from {@code start}. */
    TestPorts(int low, int high, int start) {
        if (low >= high || start < low || start >= high) {
            throw new IllegalArgumentException("bad pool [" + low + ", " + high + ") from " + start);
        }
        this.low = low;
        this.high = high;
        this.next = start;
    }

    /** A port no other process listens on now, from this JVM's pool. */
    public static int next() {
        return SHARED.take();
    }

    /** The next port of this pool that binds on loopback; wraps around once before giving up. */
    synchronized int take() {
        for (int tried = 0; tried < high - low; tried++) {
            int port = next;
            next = next + 1 == high ? low : next + 1;
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no bindable port in [" + low + ", " + high + ")");
    }

    /** Whether nothing holds {@code port} on loopback, not even a connection in TIME_WAIT. */
    static boolean bindable(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The pool below this machine's ephemeral range, starting at a pid-derived offset. */
    private static TestPorts forThisMachine() {
        int[] ephemeral = ephemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        int low = POOL_FLOOR;
        int high = ephemeral[0];
        if (high - low < 4 * STRIDE) { // an unusually low ephemeral range: use what lies above it
            low = ephemeral[1] + 1;
            high = 65_536;
        }
        if (high - low < 4 * STRIDE) {
            throw new IllegalStateException("no room for test ports outside the ephemeral range "
                    + ephemeral[0] + "-" + ephemeral[1]);
        }
        return new TestPorts(low, high, startFor(ProcessHandle.current().pid(), low, high));
    }

    /** Where a JVM with this pid starts in {@code [low, high)}: one of its STRIDE-wide stretches. */
    static int startFor(long pid, int low, int high) {
        int stretches = (high - low) / STRIDE;
        return low + (int) (pid % stretches) * STRIDE;
    }

    /**
     * The kernel's ephemeral range as {@code {first, last}}, read from {@code file} (Linux);
     * where there is no such file, IANA's 49152–65535, which macOS and Windows use.
     */
    static int[] ephemeralRange(Path file) {
        try {
            String[] parts = Files.readString(file).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {49_152, 65_535};
        }
    }
}
