package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK on three members while the leader is killed: the client is pinned to the leader
 * first (pick_first), so its streams really have to move.
 */
@ExtendWith(OwnedProcesses.class)
class FailoverIT {
    @TempDir
    Path dir;

    /** The revisions missing between consecutive delivered ones, for the failure message. */
    private static List<Long> gaps(List<Long> revisions) {
        List<Long> missing = new ArrayList<>();
        for (int i = 1; i < revisions.size() && missing.size() < 20; i++) {
            for (long r = revisions.get(i - 1) + 1; r < revisions.get(i) && missing.size() < 20; r++) {
                missing.add(r);
            }
        }
        return missing;
    }

    @Test
    void aWatchDeliversEveryRevisionOnceAndAKeepAliveGoesOnAcrossALeaderKill() throws Exception {
        try (CairnCluster cluster = CairnCluster.start(dir, 3)) {
            CairnProcess leader = cluster.awaitLeader(10_000);
            List<String> endpoints = cluster.clientUrlsFrom(leader);
            try (Client pinned = Client.builder().endpoints(endpoints).loadBalancing("pick_first").build();
                 Client writer = Client.builder().endpoints(endpoints).build()) {
                List<Event> seen = new CopyOnWriteArrayList<>();
                Watch.Watcher watcher = pinned.watch().watch(WatchKey.key("/fo/").prefix(), seen::addAll);
                long lease = pinned.lease().sync().grant(3).id();
                pinned.kv().sync().put(Put.key("/alive", "yes").lease(lease));
                Lease.KeepAlive keepAlive = pinned.lease().keepAlive(lease);

                List<Long> acknowledged = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    if (i == 150) {
                        leader.kill();
                    }
                    try {
                        acknowledged.add(writer.kv().sync().put("/fo/" + (i % 20), "v" + i).header().revision());
                    } catch (CairnException e) {
                        // a write lost in the failover is not acknowledged, and not retried blindly
                    }
                }
                long lastRevision = writer.kv().sync().get("/fo/").header().revision();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while ((seen.isEmpty() || seen.get(seen.size() - 1).revision() < lastRevision)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                List<Long> revisions = seen.stream().map(e -> e.revision()).toList();
                assertThat(revisions).as("every revision once, in order").isSorted().doesNotHaveDuplicates();
                assertThat(revisions).containsAll(acknowledged);
                assertThat(revisions.get(revisions.size() - 1)).isEqualTo(lastRevision);
                // every revision from the first delivered to the last: only these puts write under
                // /fo/, so a committed write whose event was dropped (acknowledged or not) shows as a gap
                assertThat(revisions.get(revisions.size() - 1) - revisions.get(0) + 1)
                        .as("revisions delivered, first to last, without gaps: " + gaps(revisions))
                        .isEqualTo(revisions.size());
                assertThat(acknowledged).hasSizeGreaterThan(300);

                // well past the 3 s TTL since the kill: the keep-alive moved to a live member
                Thread.sleep(7000);
                assertThat(writer.lease().sync().timeToLive(lease, false).ttl()).isPositive();
                assertThat(writer.kv().sync().get("/alive").kvs()).hasSize(1);
                keepAlive.close();
                watcher.close();
            }
        }
    }
}
