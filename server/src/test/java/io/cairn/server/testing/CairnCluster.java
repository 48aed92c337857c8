package io.cairn.server.testing;

import io.cairn.api.etcd.MaintenanceGrpc;
import io.cairn.api.etcd.StatusRequest;
import io.cairn.api.etcd.StatusResponse;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of separate {@code bin/cairn} processes on loopback ports from {@link TestPorts},
 * as an operator would start one. Only processes it started are ever signalled.
 */
public final class CairnCluster implements AutoCloseable {
    private final Path dir;
    private final int size;
    private final List<String> extraArgs;
    /** Read by clients' threads while a member is replaced ({@link #rejoin}). */
    private final List<CairnProcess> members = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What each member is given before it is launched: a cgroup. */
    private final List<Setup> setups = new ArrayList<>();

    private interface Setup {
        void apply(CairnProcess member) throws IOException;
    }

    private CairnCluster(Path dir, int size, List<String> extraArgs) {
        this.dir = dir;
        this.size = size;
        this.extraArgs = extraArgs;
    }

    /** Starts {@code size} members named m0, m1, ... and waits until each answers a read. */
    public static CairnCluster start(Path dir, int size, String... extraArgs) throws IOException, InterruptedException {
        return prepare(dir, size, extraArgs).start();
    }

    /** A cluster whose members have their ports but are not launched yet. */
    public static CairnCluster prepare(Path dir, int size, String... extraArgs) {
        CairnCluster cluster = new CairnCluster(dir, size, List.of(extraArgs));
        cluster.choosePorts();
        return cluster;
    }

    /** Runs every member in its own cgroup of {@code firewall}, which can then cut them apart. */
    public CairnCluster confinedBy(PeerFirewall firewall) {
        return setUp(m -> m.confinedTo(firewall.groupOf(m.name())));
    }

    private CairnCluster setUp(Setup setup) {
        setups.add(setup);
        members.forEach(m -> apply(setup, m));
        return this;
    }

    private static void apply(Setup setup, CairnProcess member) {
        try {
            setup.apply(member);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Launches every member and waits until each answers a read. If a member loses a port
     * before binding it, the whole cluster starts again on new ports (each member's
     * --initial-cluster names every peer port), up to {@value CairnProcess#START_ATTEMPTS}
     * times. On failure every member is killed.
     */
    public CairnCluster start() throws IOException, InterruptedException {
        try {
            boolean fresh = true;
            for (int i = 0; i < size; i++) {
                fresh &= CairnProcess.isEmptyOrMissing(dir.resolve("m" + i));
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    launchAndAwait();
                    return this;
                } catch (CairnProcess.PortClash clash) {
                    if (!fresh || attempt == CairnProcess.START_ATTEMPTS) {
                        throw clash;
                    }
                    System.out.println("a member's port was taken before it bound it; starting the cluster again on new ports");
                    close();
                    for (int i = 0; i < size; i++) {
                        CairnProcess.deleteRecursively(dir.resolve("m" + i));
                    }
                    choosePorts();
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void choosePorts() {
        members.clear();
        int[] clientPorts = new int[size];
        int[] peerPorts = new int[size];
        StringJoiner initial = new StringJoiner(",");
        for (int i = 0; i < size; i++) {
            clientPorts[i] = CairnProcess.freePort();
            peerPorts[i] = CairnProcess.freePort();
            initial.add("m" + i + "=" + (extraArgs.contains("--peer-cert-file") ? "https" : "http")
                    + "://127.0.0.1:" + peerPorts[i]);
        }
        for (int i = 0; i < size; i++) {
            List<String> args = new ArrayList<>(List.of("--initial-cluster", initial.toString()));
            args.addAll(extraArgs);
            members.add(new CairnProcess("m" + i, dir.resolve("m" + i), clientPorts[i], peerPorts[i], args));
        }
        for (Setup setup : setups) {
            members.forEach(m -> apply(setup, m));
        }
    }

    /** Waits on all members at once, so that one that exits is seen while others still wait for it. */
    private void launchAndAwait() throws IOException, InterruptedException {
        for (CairnProcess m : members) {
            m.launch();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<CairnProcess> waiting = new ArrayList<>(members);
        while (true) {
            for (Iterator<CairnProcess> it = waiting.iterator(); it.hasNext(); ) {
                if (it.next().isReady()) {
                    it.remove();
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                CairnProcess first = waiting.get(0);
                throw new IllegalStateException(first.name() + " not ready after 60 s:\n" + first.log());
            }
            Thread.sleep(100);
        }
    }

    public List<CairnProcess> members() {
        return members;
    }

    public CairnProcess member(int i) {
        return members.get(i);
    }

    /** The client endpoints of the running members, comma-separated, as etcdctl takes them. */
    public String endpoints() {
        StringJoiner eps = new StringJoiner(",");
        members.stream().filter(CairnProcess::isAlive).forEach(m -> eps.add(m.endpoint()));
        return eps.toString();
    }

    /**
     * Every member's client URL, {@code first}'s first: a pick_first client given them streams
     * from {@code first} until it fails.
     */
    public List<String> clientUrlsFrom(CairnProcess first) {
        List<String> urls = new java.util.ArrayList<>(List.of(first.advertisedClientUrl()));
        members.stream().filter(m -> m != first).forEach(m -> urls.add(m.advertisedClientUrl()));
        return urls;
    }

    /**
     * Member {@code i}, removed from the cluster and stopped, made a new member that joins the
     * running cluster on the same name and ports with an empty data dir (not yet launched): an
     * operator adding it back after the MemberAdd. Its data dir is cleared.
     */
    public CairnProcess rejoin(int i) throws IOException {
        CairnProcess old = members.get(i);
        if (old.isAlive()) {
            throw new IllegalStateException(old.name() + " still runs");
        }
        CairnProcess.deleteRecursively(dir.resolve(old.name()));
        StringJoiner all = new StringJoiner(",");
        members.forEach(m -> all.add(m.name() + "=" + m.peerUrl()));
        List<String> args = new ArrayList<>(List.of("--initial-cluster", all.toString(), "--initial-cluster-state", "existing"));
        args.addAll(extraArgs);
        CairnProcess joining = old.withArgs(args);
        members.set(i, joining);
        return joining;
    }

    /** A member to join with --initial-cluster-state existing (not yet launched). */
    public CairnProcess joiner(String name, String peerUrlsOfAll, int clientPort, int peerPort, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--initial-cluster", peerUrlsOfAll,
                "--initial-cluster-state", "existing"));
        args.addAll(List.of(extraArgs));
        CairnProcess joiner = new CairnProcess(name, dir.resolve(name), clientPort, peerPort, args);
        setups.forEach(setup -> apply(setup, joiner));
        members.add(joiner);
        return joiner;
    }

    /** The member that a running member reports as leader, waiting up to {@code timeoutMs} for one. */
    public CairnProcess awaitLeader(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            for (CairnProcess m : members) {
                StatusResponse s = status(m);
                if (s != null && s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
                    return m;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no leader within " + timeoutMs + " ms");
    }

    /** A member's Status, asked until it answers; fails after {@code timeout}. */
    public static StatusResponse awaitStatus(CairnProcess m, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        StatusResponse status = status(m);
        while (status == null && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            status = status(m);
        }
        if (status == null) {
            throw new IllegalStateException(m.name() + " did not answer Status within " + timeout);
        }
        return status;
    }

    /** A member's Status, or null if it does not answer within a second. */
    public static StatusResponse status(CairnProcess m) {
        if (!m.isAlive()) {
            return null;
        }
        ManagedChannel channel = m.channel();
        try {
            return MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance());
        } catch (RuntimeException e) {
            return null;
        } finally {
            channel.shutdownNow();
        }
    }

    /** Closes every member, even when closing one fails or is interrupted; then throws the first failure. */
    @Override
    public void close() throws InterruptedException {
        Exception failure = null;
        for (CairnProcess m : members) {
            try {
                m.close();
            } catch (RuntimeException | InterruptedException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof InterruptedException e) {
            throw e;
        } else if (failure != null) {
            throw (RuntimeException) failure;
        }
    }
}
