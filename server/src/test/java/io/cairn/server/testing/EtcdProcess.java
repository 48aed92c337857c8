package io.cairn.server.testing;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real etcd (Debian's {@code etcd-server}, 3.4) as a separate single-member process on
 * loopback ports, to hold Cairn's answers side by side with etcd's. {@code .ci/run} installs it;
 * {@code ETCD_BIN} names another binary.
 */
public final class EtcdProcess implements AutoCloseable {
    private final Path dataDir;
    private final Path log;
    private int clientPort = CairnProcess.freePort();
    private int peerPort = CairnProcess.freePort();
    private Process process;

    public EtcdProcess(Path dataDir) {
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    public static String binary() {
        String bin = System.getenv().getOrDefault("ETCD_BIN", "/usr/bin/etcd");
        if (!Files.isExecutable(Path.of(bin))) {
            throw new IllegalStateException(bin + " is missing: apt-get install etcd-server (.ci/run does)");
        }
        return bin;
    }

    /**
     * Starts etcd and waits until it answers a read; if a fresh etcd (empty data dir) lost a
     * port before it bound it, starts it again on new ports, up to
     * {@value CairnProcess#START_ATTEMPTS} times.
     */
    public EtcdProcess start() throws IOException, InterruptedException {
        boolean fresh = CairnProcess.isEmptyOrMissing(dataDir);
        for (int attempt = 1; ; attempt++) {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            try {
                return launchAndAwaitReady(logStart);
            } catch (CairnProcess.PortClash clash) {
                if (!fresh || attempt == CairnProcess.START_ATTEMPTS) {
                    throw clash;
                }
                System.out.println("etcd: a port was taken before etcd bound it; starting again on new ports");
                CairnProcess.deleteRecursively(dataDir);
                clientPort = CairnProcess.freePort();
                peerPort = CairnProcess.freePort();
            }
        }
    }

    private EtcdProcess launchAndAwaitReady(long logStart) throws IOException, InterruptedException {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        process = OwnedProcesses.own(new ProcessBuilder(List.of(binary(), "--name", "peer", "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "peer=" + peer, "--log-level", "warn"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ManagedChannel channel = channel();
        try {
            while (true) {
                if (!process.isAlive()) {
                    process.waitFor();
                    String output = log();
                    String why = "etcd exited with " + process.exitValue() + ":\n" + output;
                    // etcd says "listen tcp 127.0.0.1:<port>: bind: address already in use"
                    throw output.substring((int) Math.min(logStart, output.length())).contains("address already in use")
                            ? new CairnProcess.PortClash(why) : new IllegalStateException(why);
                }
                try {
                    KVGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("ready?")).build());
                    return this;
                } catch (StatusRuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("etcd not ready after 30 s:\n" + log(), e);
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            channel.shutdownNow();
        }
    }

    public ManagedChannel channel() {
        return NettyChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits up to {@code ms} for the process to end; true if it has. */
    public boolean awaitExit(long ms) throws InterruptedException {
        return process.waitFor(ms, TimeUnit.MILLISECONDS);
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive() && !OwnedProcesses.kill(process)) {
            throw new IllegalStateException("etcd (pid " + process.pid() + ") still alive 30 s after SIGKILL");
        }
    }
}
