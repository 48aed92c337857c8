package io.cairn.server.node;

import io.cairn.api.etcd.LeaseCheckpoint;
import io.cairn.api.etcd.LeaseCheckpointRequest;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.server.command.Command;
import io.cairn.server.lease.Lessor;
import io.cairn.server.raft.RaftNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader: revokes expired leases through raft, at most {@link #REVOKES_PER_SECOND} so that
 * a mass expiry never crowds out writes, and checkpoints how long leases have left, so a new
 * leader does not give them their full TTL again.
 */
final class LeaseDuties implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseDuties.class);
    // an expired lease is revoked within a tenth of a second: a dead instance leaves lookups soon after its TTL
    private static final long TICK_MS = 100;
    static final int REVOKES_PER_SECOND = 1000;
    private static final int CHECKPOINTS_PER_COMMAND = 1000;

    private final RaftNode raft;
    private final Lessor lessor;
    private final long checkpointIntervalMs;
    private final Set<Long> revoking = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-lease");
        t.setDaemon(true);
        return t;
    });

    LeaseDuties(RaftNode raft, Lessor lessor, long checkpointIntervalMs) {
        this.raft = raft;
        this.lessor = lessor;
        this.checkpointIntervalMs = checkpointIntervalMs;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::revokeExpired, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::checkpoint, checkpointIntervalMs, checkpointIntervalMs, TimeUnit.MILLISECONDS);
    }

    private void revokeExpired() {
        if (!lessor.isPrimary()) {
            revoking.clear();
            return;
        }
        int budget = (int) (REVOKES_PER_SECOND * TICK_MS / 1000) - revoking.size();
        for (long id : lessor.expired(Math.max(0, budget) + revoking.size())) {
            if (revoking.size() >= REVOKES_PER_SECOND * TICK_MS / 1000) {
                break;
            }
            if (revoking.add(id)) {
                raft.propose(Command.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)).build())
                        .whenComplete((r, t) -> revoking.remove(id));
            }
        }
    }

    private void checkpoint() {
        if (!lessor.isPrimary()) {
            return;
        }
        try {
            LeaseCheckpointRequest.Builder batch = LeaseCheckpointRequest.newBuilder();
            for (Map.Entry<Long, Long> e : lessor.remainingForCheckpoint().entrySet()) {
                batch.addCheckpoints(LeaseCheckpoint.newBuilder().setID(e.getKey()).setRemainingTTL(e.getValue()));
                if (batch.getCheckpointsCount() == CHECKPOINTS_PER_COMMAND) {
                    raft.propose(Command.newBuilder().setLeaseCheckpoint(batch).build());
                    batch = LeaseCheckpointRequest.newBuilder();
                }
            }
            if (batch.getCheckpointsCount() > 0) {
                raft.propose(Command.newBuilder().setLeaseCheckpoint(batch).build());
            }
        } catch (RuntimeException e) {
            log.warn("Lease checkpoint failed, will retry: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
