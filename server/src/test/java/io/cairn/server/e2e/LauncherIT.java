package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LockGrpc;
import io.cairn.api.etcd.LockRequest;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** bin/cairn as an operator meets it: version, bad flags, busy ports, bad data dirs, SIGTERM. */
@ExtendWith(OwnedProcesses.class)
class LauncherIT {
    @TempDir
    Path dir;

    record Run(int exit, String stdout, String stderr) {
    }

    private static Run cairn(String... args) throws IOException, InterruptedException {
        return cairnWithEnv(Map.of(), args);
    }

    private static Run cairnWithEnv(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(CairnProcess.repoRoot().resolve("bin/cairn").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        // output to files, not pipes: a pipe nobody reads while waiting can fill and stall cairn
        Path out = Files.createTempFile("cairn", ".out");
        Path err = Files.createTempFile("cairn", ".err");
        try {
            Process p = OwnedProcesses.own(pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                OwnedProcesses.kill(p);
                throw new AssertionError("cairn " + String.join(" ", args) + " did not exit in 60 s:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void versionPrintsWhatEtcdVersionPrints() throws Exception {
        Run r = cairn("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.stdout().lines().toList()).satisfiesExactly(
                l -> assertThat(l).matches("Cairn Version: \\d+\\.\\d+\\.\\d+.*"),
                l -> assertThat(l).matches("Git SHA: [0-9a-f]{7,}"),
                l -> assertThat(l).isEqualTo("Java Version: " + System.getProperty("java.version")),
                l -> assertThat(l).matches("OS/Arch: [a-z]+/[a-z0-9_]+"));
    }

    @Test
    void aBadFlagIsOneLineAndExitCodeTwo() throws Exception {
        Run r = cairn("--no-such-flag");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr().lines().toList()).containsExactly("cairn: Unknown option: '--no-such-flag'");

        Run badUrl = cairn("--data-dir", dir.resolve("d").toString(), "--listen-client-urls", "127.0.0.1:2379");
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.stderr().lines().toList())
                .containsExactly("cairn: --listen-client-urls: expected http://host:port, got 127.0.0.1:2379");
        assertThat(Files.exists(dir.resolve("d"))).isFalse();
    }

    @Test
    void autoCompactionFlagsAreCheckedAndComeFromCairnVariables() throws Exception {
        Run mode = cairnWithEnv(Map.of("CAIRN_AUTO_COMPACTION_MODE", "hourly"), "--data-dir", dir.resolve("d").toString());
        assertThat(mode.exit()).isEqualTo(2);
        assertThat(mode.stderr().lines().toList())
                .containsExactly("cairn: --auto-compaction-mode must be periodic or revision, got hourly");
        Run retention = cairnWithEnv(Map.of("CAIRN_AUTO_COMPACTION_MODE", "revision",
                "CAIRN_AUTO_COMPACTION_RETENTION", "1h"), "--data-dir", dir.resolve("d").toString());
        assertThat(retention.exit()).isEqualTo(2);
        assertThat(retention.stderr().lines().toList())
                .containsExactly("cairn: --auto-compaction-retention: revision mode keeps a number of revisions, got 1h");
        Run flag = cairn("--data-dir", dir.resolve("d").toString(), "--auto-compaction-retention=1d");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.stderr()).startsWith("cairn: --auto-compaction-retention: expected hours or a duration");
        assertThat(Files.exists(dir.resolve("d"))).isFalse();
    }

    @Test
    void flagsAlsoComeFromCairnVariables() throws Exception {
        Run r = cairnWithEnv(Map.of("CAIRN_INITIAL_CLUSTER_STATE", "sideways"), "--data-dir", dir.resolve("d").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr().lines().toList())
                .containsExactly("cairn: --initial-cluster-state must be new or existing, got sideways");
    }

    @Test
    void theRequestLimitIsConfigurable() throws Exception {
        Etcdctl.requireInstalled();
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--max-request-bytes", "4096").start()) {
            assertThat(Etcdctl.run(cairn.endpoint(), "head -c 3000 /dev/zero | tr '\\0' x | etcdctl put small").output())
                    .isEqualTo("OK\n");
            assertThat(Etcdctl.run(cairn.endpoint(), "head -c 5000 /dev/zero | tr '\\0' x | etcdctl put big").output())
                    .endsWith("Error: etcdserver: request is too large\n");
        }
    }

    @Test
    void aBusyPortIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run r = cairn("--data-dir", dir.resolve("d").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + port,
                    "--listen-peer-urls", "http://127.0.0.1:" + CairnProcess.freePort());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stderr().lines().toList())
                    .containsExactly("cairn: cannot listen on 127.0.0.1:" + port + ": address already in use");
        }
    }

    /** Each member's error names the URL that is taken, whichever it is. */
    @Test
    void aBusyPeerOrGatewayPortNamesThatUrl() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run peer = cairn("--data-dir", dir.resolve("d").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + CairnProcess.freePort(),
                    "--listen-peer-urls", "http://127.0.0.1:" + port);
            assertThat(peer.stderr().lines().toList())
                    .containsExactly("cairn: cannot listen on 127.0.0.1:" + port + ": address already in use");
            Run gateway = cairn("--data-dir", dir.resolve("d").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + CairnProcess.freePort(),
                    "--listen-client-http-urls", "http://127.0.0.1:" + port,
                    "--listen-peer-urls", "http://127.0.0.1:" + CairnProcess.freePort());
            assertThat(gateway.exit()).isEqualTo(1);
            assertThat(gateway.stderr().lines().toList())
                    .containsExactly("cairn: cannot listen on 127.0.0.1:" + port + ": address already in use");
        }
    }

    @Test
    void anUnusableDataDirIsOneLineAndExitCodeOne() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Run r = cairn("--data-dir", file.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + CairnProcess.freePort(),
                "--listen-peer-urls", "http://127.0.0.1:" + CairnProcess.freePort());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr().lines().toList()).singleElement().asString()
                .startsWith("cairn: cannot use data dir " + file).containsIgnoringCase("not a directory");
    }

    /** A restore is built aside: one that fails leaves nothing a member would start from, and can be tried again. */
    @Test
    void aCorruptBackupIsRefusedAndLeavesNoDataDir() throws Exception {
        Path backup = Files.write(dir.resolve("corrupt.db"), new byte[100]);
        Path data = dir.resolve("restored");
        Run r = cairn("--restore-from", backup.toString(), "--data-dir", data.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + CairnProcess.freePort(),
                "--listen-peer-urls", "http://127.0.0.1:" + CairnProcess.freePort());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("fails its SHA-256 check");
        assertThat(data).doesNotExist();
        assertThat(dir.resolve("restored.restoring")).doesNotExist();
    }

    /**
     * A member killed with SIGKILL cannot delete the native libraries it unpacked; in /tmp they
     * piled up (14 MB per kill), under the data dir each start clears the last one's.
     */
    @Test
    void nativeLibrariesAreUnpackedUnderTheDataDirAndReplacedAtRestart() throws Exception {
        Path data = dir.resolve("data");
        try (CairnProcess member = new CairnProcess(data).start()) {
            member.kill();
            member.start();
            List<String> mapped;
            try (java.util.stream.Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(member.pid()), "maps"))) {
                mapped = maps.filter(l -> l.contains("librocksdbjni") || l.contains("lmdbjava"))
                        .map(l -> l.substring(l.indexOf('/'))).distinct().toList();
            }
            String home = data.toRealPath().toString();
            assertThat(mapped).as("native libraries the member loaded").hasSize(2)
                    .allMatch(file -> file.startsWith(home), "under the data dir");
            try (java.util.stream.Stream<Path> unpacked = Files.list(data.resolve("member/tmp/native"))) {
                assertThat(unpacked).as("what the killed start left was cleared").hasSize(2);
            }
        }
    }

    @Test
    void aDataDirInUseIsRefused() throws Exception {
        try (CairnProcess first = new CairnProcess(dir.resolve("data")).start()) {
            Run second = cairn("--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + CairnProcess.freePort(),
                    "--listen-peer-urls", "http://127.0.0.1:" + CairnProcess.freePort());
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.stderr().lines().toList()).singleElement().asString()
                    .contains("is in use by another cairn process");
        }
    }

    @Test
    void sigtermStopsCleanlyAndKeepsTheData() throws Exception {
        Etcdctl.requireInstalled();
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        try {
            assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl put greeting hello").output()).isEqualTo("OK\n");
            int exit = cairn.stop();
            assertThat(exit).as("SIGTERM exit status").isIn(0, 143);
            assertThat(cairn.log()).contains("Shutting down").contains("Stopped").doesNotContain("Exception");
            cairn.start();
            assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl get greeting --print-value-only").output())
                    .isEqualTo("hello\n");
        } finally {
            cairn.close();
        }
    }

    @Test
    void sigtermEndsOpenStreamsAndLockWaitsAtOnceAndQuietly() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        ManagedChannel channel = cairn.channel();
        try {
            // a watch and a lock wait, which never end by themselves
            WatchGrpc.newStub(channel).watch(new Ignored<>()).onNext(WatchRequest.newBuilder()
                    .setCreateRequest(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("w"))).build());
            LockGrpc.newBlockingStub(channel).lock(LockRequest.newBuilder().setName(ByteString.copyFromUtf8("l"))
                    .setLease(lease(channel)).build());
            LockGrpc.newStub(channel).lock(LockRequest.newBuilder().setName(ByteString.copyFromUtf8("l"))
                    .setLease(lease(channel)).build(), new Ignored<>());
            Thread.sleep(500);
            long began = System.nanoTime();
            cairn.stop();
            // it waited 5 s for them before, on top of closing raft and the store
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isLessThan(5000);
            assertThat(cairn.log()).contains("Stopped").doesNotContain("Exception");
        } finally {
            channel.shutdownNow();
            cairn.close();
        }
    }

    private static long lease(ManagedChannel channel) {
        return LeaseGrpc.newBlockingStub(channel).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
    }

    private static final class Ignored<T> implements StreamObserver<T> {
        @Override
        public void onNext(T value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
