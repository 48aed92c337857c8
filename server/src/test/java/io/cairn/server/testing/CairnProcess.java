package io.cairn.server.testing;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Cairn member started through {@code bin/cairn} as a separate process on free loopback
 * ports, as a user starts it. Only the process this object started is ever signalled.
 */
public final class CairnProcess implements AutoCloseable {
    private final String name;
    private final Path dataDir;
    private final Path log;
    private final int clientPort;
    private final int peerPort;
    private final List<String> extraArgs;
    private Process process;

    /** A single member on free ports. */
    public CairnProcess(Path dataDir, String... extraArgs) {
        this("default", dataDir, freePort(), freePort(), List.of(extraArgs));
    }

    /** A member of a cluster; {@code extraArgs} carries --initial-cluster and the like. */
    public CairnProcess(String name, Path dataDir, int clientPort, int peerPort, List<String> extraArgs) {
        this.name = name;
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.extraArgs = List.copyOf(extraArgs);
        this.tls = extraArgs.contains("--cert-file") || extraArgs.contains("--auto-tls");
        this.peerTls = extraArgs.contains("--peer-cert-file");
    }

    private final boolean peerTls;

    private final boolean tls;
    private final int httpPort = freePort();

    public String name() {
        return name;
    }

    public String peerUrl() {
        return (peerTls ? "https" : "http") + "://127.0.0.1:" + peerPort;
    }

    /** The repository root, where bin/cairn lives. */
    public static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isExecutable(dir.resolve("bin/cairn"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("bin/cairn not found above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line that starts this member. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(repoRoot().resolve("bin/cairn").toString(),
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", (tls ? "https" : "http") + "://127.0.0.1:" + clientPort,
                "--listen-peer-urls", peerUrl()));
        if (!extraArgs.contains("--listen-client-http-urls")) {
            cmd.addAll(List.of("--listen-client-http-urls", httpUrl()));
        }
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** Starts the member and waits until it answers a read. */
    public CairnProcess start() throws IOException, InterruptedException {
        launch();
        return awaitReady();
    }

    /** Starts the process without waiting: a cluster's members must all run before any is ready. */
    public CairnProcess launch() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        process = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return this;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Sends a signal such as STOP or CONT to this member's process. */
    public void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Waits until a linearizable read succeeds on this member. */
    public CairnProcess awaitReady() throws IOException, InterruptedException {
        awaitReady(Duration.ofSeconds(60));
        return this;
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (tls) { // a plaintext client cannot ask; the member says when it serves
            while (!log().contains("serving clients on")) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("cairn exited with " + process.exitValue() + ":\n" + log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cairn not ready after " + timeout + ":\n" + log());
                }
                Thread.sleep(100);
            }
            return;
        }
        ManagedChannel channel = channel();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("cairn exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    kv.withDeadlineAfter(2, TimeUnit.SECONDS)
                            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("ready?")).build());
                    return;
                } catch (StatusRuntimeException e) {
                    String why = String.valueOf(e.getStatus().getDescription());
                    if (why.contains("not supported for learner") || why.contains("user name is empty")) {
                        return; // a learner, or a member with auth on, refuses this read: it is up
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("cairn not ready after " + timeout + ":\n" + log(), e);
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** A plaintext channel to this member's client port; the caller shuts it down. */
    public ManagedChannel channel() {
        return NettyChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
    }

    /** The HTTP/JSON gateway's base URL. */
    public String httpUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + httpPort;
    }

    public String advertisedClientUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + clientPort;
    }

    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, then wait for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM; returns the exit code. */
    public int stop() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("cairn did not stop within 30 s of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
