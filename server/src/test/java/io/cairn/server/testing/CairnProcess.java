package io.cairn.server.testing;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.server.time.WallClock;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Cairn member started through {@code bin/cairn} as a separate process on loopback ports
 * from {@link TestPorts}, as a user starts it. Only the process this object started is ever
 * signalled; {@link OwnedProcesses} kills it when the test ends if the test did not.
 */
public final class CairnProcess implements AutoCloseable {
    /** How many times a fresh member is launched before a port clash fails the test. */
    static final int START_ATTEMPTS = 3;

    private final String name;
    private final Path dataDir;
    private final Path log;
    private final List<String> extraArgs;
    private final boolean tls;
    private final boolean peerTls;
    /** Whether this object chose the ports, and so may choose others after a clash. */
    private final boolean ownPorts;
    private int clientPort;
    private int peerPort;
    /** The cgroup the process runs in ({@link PeerFirewall}), or null for the test's own. */
    private Path cgroup;
    private Process process;
    /** Where this launch's output starts in the log, which keeps every launch's output. */
    private long logStart;

    /** A single member on free ports. */
    public CairnProcess(Path dataDir, String... extraArgs) {
        this("default", dataDir, freePort(), freePort(), List.of(extraArgs), true);
    }

    /** A member of a cluster; {@code extraArgs} carries --initial-cluster and the like. */
    public CairnProcess(String name, Path dataDir, int clientPort, int peerPort, List<String> extraArgs) {
        this(name, dataDir, clientPort, peerPort, extraArgs, false);
    }

    private CairnProcess(String name, Path dataDir, int clientPort, int peerPort, List<String> extraArgs,
            boolean ownPorts) {
        this.name = name;
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.extraArgs = List.copyOf(extraArgs);
        this.tls = extraArgs.contains("--cert-file") || extraArgs.contains("--auto-tls");
        this.peerTls = extraArgs.contains("--peer-cert-file");
        this.ownPorts = ownPorts;
    }

    /** The process exited because a port it was given was taken meanwhile. */
    public static final class PortClash extends IllegalStateException {
        PortClash(String message) {
            super(message);
        }
    }

    public String name() {
        return name;
    }

    public int peerPort() {
        return peerPort;
    }

    /** Runs this member, from its next launch, in {@code cgroup}: see {@link PeerFirewall}. */
    public CairnProcess confinedTo(Path cgroup) {
        this.cgroup = cgroup;
        return this;
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

    /** A loopback port nothing listens on, outside the ephemeral range: see {@link TestPorts}. */
    public static int freePort() {
        return TestPorts.next();
    }

    /** The command line that starts this member. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(repoRoot().resolve("bin/cairn").toString(),
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", (tls ? "https" : "http") + "://127.0.0.1:" + clientPort,
                "--listen-peer-urls", peerUrl()));
        cmd.addAll(extraArgs);
        return cmd;
    }

    /**
     * Starts the member and waits until it answers a read. A fresh member (empty data dir) on
     * ports this object chose that loses a port before it binds it is started again on new
     * ports, up to {@value #START_ATTEMPTS} times; a restarted one keeps its ports, which its
     * data dir records.
     */
    public CairnProcess start() throws IOException, InterruptedException {
        boolean fresh = isEmptyOrMissing(dataDir);
        for (int attempt = 1; ; attempt++) {
            launch();
            try {
                return awaitReady();
            } catch (PortClash clash) {
                if (!fresh || !ownPorts || attempt == START_ATTEMPTS) {
                    throw clash;
                }
                System.out.println(name + ": a port was taken before cairn bound it; starting again on new ports");
                deleteRecursively(dataDir);
                clientPort = freePort();
                peerPort = freePort();
            }
        }
    }

    /** Starts the process without waiting: a cluster's members must all run before any is ready. */
    public CairnProcess launch() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        logStart = Files.exists(log) ? Files.size(log) : 0;
        List<String> command = command();
        if (cgroup != null) {
            // the shell moves itself into the cgroup, then becomes bin/cairn: the same pid, and
            // every socket the member opens belongs to the cgroup
            command = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                    cgroup.toString()));
            command.addAll(command());
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // the member's wall clock follows this file, which stepClock writes
        String javaOpts = System.getenv().getOrDefault("CAIRN_JAVA_OPTS", "");
        builder.environment().put("CAIRN_JAVA_OPTS", (javaOpts + " -D" + WallClock.OFFSET_FILE_PROPERTY + "=" + clockFile()).trim());
        process = OwnedProcesses.own(builder.start());
        return this;
    }

    /**
     * Steps this member's wall clock to {@code offsetMs} from the machine's (0 sets it right), as
     * NTP or an operator steps a machine's clock; its monotonic clock runs on.
     */
    public void stepClock(long offsetMs) throws IOException {
        Path next = clockFile().resolveSibling(clockFile().getFileName() + ".next");
        Files.writeString(next, Long.toString(offsetMs));
        Files.move(next, clockFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Path clockFile() {
        return log.resolveSibling(dataDir.getFileName() + ".clock");
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Sends a signal such as STOP or CONT to this member's process. */
    public void signal(String signal) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") exited with " + process.exitValue()
                    + " before kill -" + signal + "; its log ends:\n" + tail(log(), 30));
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " did not return within 10 s");
        }
        if (kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    /**
     * Waits until this launch says it serves clients, though it may still be catching up: for a
     * member restarted under heavy load, which can lag the leader for long, so that a
     * linearizable read on it waits past any deadline.
     */
    public CairnProcess awaitServing(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logOfThisLaunch().contains("serving clients on")) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not serving after " + timeout + ":\n" + log());
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** Waits until a linearizable read succeeds on this member. */
    public CairnProcess awaitReady() throws IOException, InterruptedException {
        Duration timeout = Duration.ofSeconds(60);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + log());
            }
            Thread.sleep(100);
        }
        return this;
    }

    /**
     * Whether the member serves clients now: one read, or with TLS, the log line that says so.
     * Throws {@link PortClash} if the process exited because a port was taken, and
     * IllegalStateException if it exited otherwise.
     */
    public boolean isReady() throws IOException {
        if (!process.isAlive()) {
            String output = logOfThisLaunch();
            String why = name + " exited with " + process.exitValue() + ":\n" + log();
            // bin/cairn prints "cairn: cannot listen on 127.0.0.1:<port>: address already in use"
            throw output.contains("address already in use") ? new PortClash(why) : new IllegalStateException(why);
        }
        if (tls) { // a plaintext client cannot ask; the member says when it serves
            return logOfThisLaunch().contains("serving clients on");
        }
        ManagedChannel channel = channel();
        try {
            KVGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("ready?")).build());
            return true;
        } catch (StatusRuntimeException e) {
            String why = String.valueOf(e.getStatus().getDescription());
            // a learner, or a member with auth on, refuses this read: it is up
            return why.contains("not supported for learner") || why.contains("user name is empty");
        } finally {
            channel.shutdownNow();
        }
    }

    private String logOfThisLaunch() throws IOException {
        byte[] all = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
        int from = (int) Math.min(logStart, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** A plaintext channel to this member's client port; the caller shuts it down. */
    public ManagedChannel channel() {
        return NettyChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
    }

    /**
     * The HTTP/JSON gateway's base URL: the client URL, as in etcd, unless the member was
     * given {@code --listen-client-http-urls}.
     */
    public String httpUrl() {
        int flag = extraArgs.indexOf("--listen-client-http-urls");
        return flag >= 0 ? extraArgs.get(flag + 1).split(",")[0] : advertisedClientUrl();
    }

    public String advertisedClientUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + clientPort;
    }

    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /** The same member (name, data dir, ports, cgroup) launched with other arguments; not yet launched. */
    public CairnProcess withArgs(List<String> args) {
        return new CairnProcess(name, dataDir, clientPort, peerPort, args, false).confinedTo(cgroup);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, then wait for the process to be gone. */
    public void kill() throws InterruptedException {
        if (!OwnedProcesses.kill(process)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive 30 s after SIGKILL");
        }
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

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    static boolean isEmptyOrMissing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Removes what a failed first launch left in a data dir that was empty before it. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
