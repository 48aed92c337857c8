package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.discovery.HealthCheck;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.ListInstancesRequest;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.api.discovery.Status;
import io.cairn.api.discovery.TcpCheck;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The registry's leader-run work across a leader change, on three members. */
@ExtendWith(OwnedProcesses.class)
class RegistryClusterIT {
    @TempDir
    Path dir;

    @Test
    void aNewLeaderTakesTheHealthChecksOver() throws Exception {
        try (CairnCluster cluster = CairnCluster.start(dir, 3);
             ServerSocket port = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CairnProcess leader = cluster.awaitLeader(10_000);
            CairnProcess follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
            ManagedChannel channel = follower.channel();
            try {
                RegistryGrpc.RegistryBlockingStub registry = RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                registry.register(RegisterRequest.newBuilder().setInstance(Instance.newBuilder().setNamespace("prod")
                        .setService("db").setId("primary").setHost("127.0.0.1").setPort(port.getLocalPort()))
                        .setCheck(HealthCheck.newBuilder().setTcp(TcpCheck.getDefaultInstance()).setIntervalMs(500)
                                .setTimeoutMs(300).setFailureThreshold(2)).build());
                assertThat(status(channel)).isEqualTo(Status.UP);

                leader.kill();
                cluster.awaitLeader(15_000);
                port.close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (status(channel) != Status.DOWN && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(status(channel)).as("checked by the new leader").isEqualTo(Status.DOWN);
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static Status status(ManagedChannel channel) {
        return RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .listInstances(ListInstancesRequest.newBuilder().setNamespace("prod").setService("db").setAll(true).build())
                .getInstances(0).getStatus();
    }
}
