package io.cairn.server.testing;

import io.cairn.api.etcd.MaintenanceGrpc;
import io.cairn.api.etcd.StatusRequest;
import io.cairn.api.etcd.StatusResponse;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of separate {@code bin/cairn} processes on free loopback ports, as an operator
 * would start one. Only processes it started are ever signalled.
 */
public final class CairnCluster implements AutoCloseable {
    private final Path dir;
    private final List<CairnProcess> members = new ArrayList<>();

    private CairnCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code size} members named m0, m1, ... and waits until each answers a read. */
    public static CairnCluster start(Path dir, int size, String... extraArgs) throws IOException, InterruptedException {
        CairnCluster cluster = new CairnCluster(dir);
        int[] clientPorts = new int[size];
        int[] peerPorts = new int[size];
        StringJoiner initial = new StringJoiner(",");
        for (int i = 0; i < size; i++) {
            clientPorts[i] = CairnProcess.freePort();
            peerPorts[i] = CairnProcess.freePort();
            initial.add("m" + i + "=" + (List.of(extraArgs).contains("--peer-cert-file") ? "https" : "http")
                    + "://127.0.0.1:" + peerPorts[i]);
        }
        for (int i = 0; i < size; i++) {
            List<String> args = new ArrayList<>(List.of("--initial-cluster", initial.toString()));
            args.addAll(List.of(extraArgs));
            cluster.members.add(new CairnProcess("m" + i, dir.resolve("m" + i), clientPorts[i], peerPorts[i], args));
        }
        for (CairnProcess m : cluster.members) {
            m.launch();
        }
        for (CairnProcess m : cluster.members) {
            m.awaitReady();
        }
        return cluster;
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

    /** A member to join with --initial-cluster-state existing (not yet launched). */
    public CairnProcess joiner(String name, String peerUrlsOfAll, int clientPort, int peerPort, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--initial-cluster", peerUrlsOfAll,
                "--initial-cluster-state", "existing"));
        args.addAll(List.of(extraArgs));
        CairnProcess joiner = new CairnProcess(name, dir.resolve(name), clientPort, peerPort, args);
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

    @Override
    public void close() throws InterruptedException {
        for (CairnProcess m : members) {
            m.close();
        }
    }
}
