package io.cairn.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The harness under the failures it must absorb or report: a port taken, a command that never ends. */
@ExtendWith(OwnedProcesses.class)
class HarnessIT {
    @TempDir
    Path dir;

    @Test
    void aFreshMemberWhosePortIsTakenStartsAgainOnNewPorts() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data"));
        int chosen = port(cairn.endpoint());
        try (ServerSocket taken = occupy(chosen); cairn) {
            cairn.start();
            assertThat(port(cairn.endpoint())).isNotEqualTo(chosen);
            assertThat(cairn.log()).contains("cannot listen on 127.0.0.1:" + chosen + ": address already in use");
            assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl put k v").output()).isEqualTo("OK\n");
        }
    }

    @Test
    void aClusterWhosePeerPortIsTakenStartsAgainOnNewPorts() throws Exception {
        CairnCluster cluster = CairnCluster.prepare(dir, 3);
        int chosen = URI.create(cluster.member(1).peerUrl()).getPort();
        try (ServerSocket taken = occupy(chosen); cluster) {
            cluster.start();
            assertThat(cluster.members()).allSatisfy(m -> assertThat(m.peerUrl()).doesNotEndWith(":" + chosen));
            assertThat(cluster.member(1).log()).contains("address already in use");
            cluster.awaitLeader(10_000);
            assertThat(Etcdctl.run(cluster.endpoints(), "etcdctl put k v").output()).isEqualTo("OK\n");
        }
    }

    @Test
    void aRestartedMemberKeepsItsPortsAndReportsAClash() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            cairn.stop();
            try (ServerSocket taken = occupy(port(cairn.endpoint()))) {
                assertThatThrownBy(cairn::start).isInstanceOf(CairnProcess.PortClash.class)
                        .hasMessageContaining("address already in use");
            }
        }
    }

    @Test
    void anEtcdctlCommandThatNeverEndsFailsAtItsTimeout() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> Etcdctl.run(cairn.endpoint(), "echo watching; etcdctl watch foo", Duration.ofSeconds(2)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("did not finish within PT2S")
                    .hasMessageContaining("watching");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(2_000L, 10_000L);
            assertThat(ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("etcdctl watch")))
                    .as("the killed command's processes").isEmpty();
        }
    }

    private static ServerSocket occupy(int port) throws Exception {
        return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
