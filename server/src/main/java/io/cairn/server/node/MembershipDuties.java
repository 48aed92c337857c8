package io.cairn.server.node;

import io.cairn.api.etcd.Member;
import io.cairn.server.command.Command;
import io.cairn.server.raft.RaftNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership chores a member does in the background, each idempotent and retried until done:
 * the first leader of a new cluster bootstraps the member table; every member publishes its
 * own name and client URLs; the leader keeps raft's configuration equal to the member table.
 */
final class MembershipDuties implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MembershipDuties.class);
    private static final long PERIOD_MS = 500;

    private final RaftNode raft;
    private final Membership membership;
    private final NodeConfig config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-membership");
        t.setDaemon(true);
        return t;
    });
    private final Runnable onRemoved;
    private volatile boolean busy;
    /** The last reason a configuration change was put off, logged once until it changes. */
    private volatile String lastDelay = "";
    /** Set once this member has seen itself in the member table; a joiner has not yet. */
    private boolean listed;

    MembershipDuties(RaftNode raft, Membership membership, NodeConfig config, Runnable onRemoved) {
        this.raft = raft;
        this.membership = membership;
        this.config = config;
        this.onRemoved = onRemoved;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::run, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs the chores soon, e.g. right after a membership change. */
    void poke() {
        timer.execute(this::run);
    }

    private void run() {
        if (busy) {
            return;
        }
        try {
            if (!membership.bootstrapped() && membership.newCluster() && raft.isLeader()) {
                busy = true;
                raft.propose(Command.newBuilder().setClusterBootstrap(membership.initial()).build())
                        .whenComplete((r, t) -> busy = false);
                return;
            }
            if (membership.bootstrapped()) {
                boolean present = membership.localId() != 0;
                if (listed && !present) {
                    log.warn("This member was removed from the cluster; shutting down");
                    timer.shutdown();
                    onRemoved.run();
                    return;
                }
                listed |= present;
            }
            publish();
            if (raft.isLeader() && membership.bootstrapped()) {
                reconcile();
            }
        } catch (RuntimeException e) {
            busy = false;
            log.warn("Membership upkeep failed, will retry: {}", e.toString());
        }
    }

    private void publish() {
        long id = membership.localId();
        if (id == 0 || !membership.bootstrapped()) {
            return;
        }
        List<String> clientUrls = config.advertiseClientUrls().stream().map(URI::toString).toList();
        Member current = membership.store().byId(id).orElse(null);
        if (current != null && current.getName().equals(config.name()) && current.getClientURLsList().equals(clientUrls)) {
            return;
        }
        Member self = Member.newBuilder().setID(id).setName(config.name())
                .addPeerURLs(membership.selfPeerUrl()).addAllClientURLs(clientUrls).build();
        busy = true;
        raft.propose(Command.newBuilder().setMemberPublish(self).build()).whenComplete((r, t) -> {
            busy = false;
            if (t == null) {
                log.info("Published this member ({}, {}) to the cluster", config.name(), Long.toHexString(id));
            }
        });
    }

    private void reconcile() {
        List<String> voters = new ArrayList<>();
        List<String> learners = new ArrayList<>();
        for (Member m : membership.store().members()) {
            String peer = Membership.hostPort(m.getPeerURLs(0));
            (m.getIsLearner() ? learners : voters).add(peer);
        }
        if (voters.isEmpty()) {
            return;
        }
        busy = true;
        raft.reconcile(voters, learners).whenComplete((r, t) -> {
            busy = false;
            String reason = t == null ? "" : String.valueOf(t.getMessage());
            if (!reason.equals(lastDelay) && t != null) {
                log.info("Raft configuration change waits ({}); retrying until it is done", reason);
            }
            lastDelay = reason;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
