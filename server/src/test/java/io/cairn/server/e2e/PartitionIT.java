package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.StatusResponse;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.PeerFirewall;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Members cut apart on the network ({@link PeerFirewall}), not stopped: each keeps running. */
@ExtendWith(OwnedProcesses.class)
class PartitionIT {
    @TempDir
    Path dir;

    @Test
    void aLeaderCutOffFromTheOthersServesNoReadTheyElectAnotherAndItCatchesUpOnceHealed() throws Exception {
        PeerFirewall firewall = PeerFirewall.open().orElseThrow(() -> new AssertionError(
                "no firewall here: this test needs root, iptables (.ci/run installs it) and cgroup v2"));
        try (firewall; CairnCluster cluster = CairnCluster.prepare(dir, 3).confinedBy(firewall).start()) {
            CairnProcess old = cluster.awaitLeader(10_000);
            List<CairnProcess> others = new ArrayList<>(cluster.members());
            others.remove(old);
            put(old, "before", "1");
            for (CairnProcess other : others) {
                firewall.cut(old, other);
            }
            CairnProcess next = awaitLeaderAmong(others, 20_000);
            put(next, "during", "2");
            // cut off, the old leader cannot confirm it still leads: no linearizable read, stale or not
            assertThatThrownBy(() -> range(old, "during", false, 3)).isInstanceOf(StatusRuntimeException.class);
            assertThat(range(old, "during", true, 3).getKvsList()).as("the old leader has not seen the new write").isEmpty();

            firewall.heal();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            RangeResponse seen = range(old, "during", true, 3);
            while (seen.getKvsCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                seen = range(old, "during", true, 3);
            }
            assertThat(seen.getKvsList()).as("healed, the old leader catches up").hasSize(1);
            assertThat(range(old, "during", false, 10).getKvs(0).getValue().toStringUtf8()).isEqualTo("2");
            StatusResponse status = CairnCluster.status(old);
            assertThat(status.getLeader()).as("it follows the new leader").isNotEqualTo(status.getHeader().getMemberId());
        }
    }

    private static CairnProcess awaitLeaderAmong(List<CairnProcess> members, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            for (CairnProcess m : members) {
                StatusResponse s = CairnCluster.status(m);
                if (s != null && s.getLeader() == s.getHeader().getMemberId()) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the majority elected no leader within " + timeoutMs + " ms");
    }

    private static void put(CairnProcess m, String key, String value) {
        ManagedChannel channel = m.channel();
        try {
            KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build());
        } finally {
            channel.shutdownNow();
        }
    }

    private static RangeResponse range(CairnProcess m, String key, boolean serializable, int seconds) {
        ManagedChannel channel = m.channel();
        try {
            return KVGrpc.newBlockingStub(channel).withDeadlineAfter(seconds, TimeUnit.SECONDS).range(RangeRequest
                    .newBuilder().setKey(ByteString.copyFromUtf8(key)).setSerializable(serializable).build());
        } finally {
            channel.shutdownNow();
        }
    }
}
