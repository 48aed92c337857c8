package io.cairn.server.node;

import io.cairn.api.etcd.Member;
import io.cairn.server.command.Command;
import io.cairn.server.raft.RaftNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership chores a member does in the background, each idempotent and retried until done:
 * the first leader of a new cluster bootstraps the member table; every member publishes its
 * own name and client URLs; the leader keeps raft's configuration equal to the member table;
 * a member removed from the table stops once it has left raft's configuration too.
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
    /**
     * Set once this member knows it was in the member table: from the start for an initial
     * member (its removal may apply before the first chore runs), on first sight for a joiner.
     */
    private boolean listed;
    /** When this member, out of the member table, first saw a raft configuration without it; 0 for not yet. */
    private long leftSinceNanos;
    private long leaderlessSinceNanos;
    private boolean waitingToLeave;
    private volatile boolean leftByOwnChange;
    /** Set once this member has seen a raft configuration that lists it. */
    private boolean configured;
    /** What this member last published, once committed. */
    private volatile Member published;
    /** The leader, asked which member it lists at this member's peer URL; null when not asked. */
    private volatile CompletableFuture<Long> leaderAsked;
    private int refusals;
    /** The leader, asked this joiner's id; null when not asked. */
    private volatile CompletableFuture<Long> idAsked;
    /** Set when the cluster, asked at start, lists nobody at the address this member's table lists it at. */
    private volatile boolean removedWhileDown;

    MembershipDuties(RaftNode raft, Membership membership, NodeConfig config, Runnable onRemoved) {
        this.raft = raft;
        this.membership = membership;
        this.config = config;
        this.onRemoved = onRemoved;
        this.listed = membership.initialMember();
        // any member may answer: the answer comes after a read index, so it is linearizable;
        // peers are matched by host and port, as raft names them
        raft.answerMemberQueries(peerUrl -> raft.readIndex()
                .thenApply(ready -> membership.idOfPeer(Membership.hostPort(peerUrl))));
    }

    /**
     * A member joining an existing cluster (or restarted as one) asks the leader its id before it
     * serves, as etcd's joiner does, waiting at most a few election timeouts (no leader yet: it
     * asks again in the background). Told there is no member at its address while its own table
     * lists it, it was removed while it was down: it stops on its first chore, as etcd's does.
     */
    void learnIdBeforeServing() {
        if (membership.initialMember()) {
            return;
        }
        long started = System.nanoTime();
        try {
            take(raft.memberIdAtLeader(membership.selfPeerUrl()).get());
        } catch (java.util.concurrent.ExecutionException noLeader) {
            log.info("No member told this member its id within {} ms; asking again in the background",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void start() {
        timer.scheduleWithFixedDelay(this::run, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs the chores soon, e.g. right after a membership change. */
    void poke() {
        timer.execute(this::run);
    }

    private void run() {
        try {
            // the removal check comes first, whatever is under way: a poke after a removal is never dropped
            if (membership.bootstrapped() && removed()) {
                return;
            }
            learnId();
            if (busy) {
                return;
            }
            if (!membership.bootstrapped() && membership.newCluster() && raft.isLeader()) {
                busy = true;
                raft.propose(Command.newBuilder().setClusterBootstrap(membership.initial()).build())
                        .whenComplete((r, t) -> busy = false);
                return;
            }
            publish();
            if (raft.isLeader() && membership.bootstrapped()) {
                reconcile();
            }
        } catch (RuntimeException | Error e) {
            // an Error too: one that escaped would end the scheduled chores without a word
            busy = false;
            log.warn("Membership upkeep failed, will retry: {}", e.toString());
        }
    }

    /** Whether this member was removed and has left; if so it is shutting down. */
    private boolean removed() {
        boolean present = membership.listsSelf();
        // the table's removal may not have reached this member when the leader stops
        // replicating to it, but a raft configuration without it, which the leader
        // proposes only after that removal committed, does
        // ... but only once it was in one: a joiner catching up reads configurations
        // made before it was added
        // under this member's current id only: an address's earlier incarnation was configured too
        configured |= present && raft.listedInConfiguration();
        if (removedWhileDown) {
            return stop("This member was removed from the cluster while it was down; shutting down");
        }
        if (listed && (!present || (configured && !raft.inConfiguration())) && leftRaft(present)) {
            return stop("This member was removed from the cluster; shutting down");
        }
        listed |= present;
        return false;
    }

    private boolean stop(String why) {
        log.warn(why);
        timer.shutdown();
        onRemoved.run();
        return true;
    }

    /**
     * Whether a member that is out of the member table has also left raft's configuration, for
     * at least an election timeout. Until then the leader may still need it: the table changes
     * first and the leader changes the configuration after, through a joint configuration whose
     * old half counts this member (in a cluster of two, the survivor has no quorum without it).
     * The wait covers this member's acknowledgement of the joint entry, which it already sees as
     * its configuration when it appends it. A member its table still lists ({@code present}) is
     * out of raft's configuration only for a while (a promoted learner between its two changes):
     * it stops only when the cluster says another member, or none, is at its address.
     */
    private boolean leftRaft(boolean present) {
        if (leftByOwnChange) {
            return true;
        }
        long now = System.nanoTime();
        if (raft.leader() != null) {
            leaderlessSinceNanos = 0;
        } else if (leaderlessSinceNanos == 0) {
            leaderlessSinceNanos = now;
        } else if (!present && now - leaderlessSinceNanos >= TimeUnit.MILLISECONDS.toNanos(3L * config.electionTimeoutMs())) {
            // the leader no longer sends to it, so it needs nothing more from this member; it may
            // never see the configuration without it, which the leader stops replicating to it
            log.info("This member, removed from the member table, has heard from no leader for {} ms",
                    3L * config.electionTimeoutMs());
            return true;
        }
        if (raft.inConfiguration()) {
            leftSinceNanos = 0;
            leaderAsked = null;
            refusals = 0;
            if (!waitingToLeave) {
                waitingToLeave = true;
                log.info("This member was removed from the member table; it runs until it has left the raft configuration");
            }
            return false;
        }
        if (leftSinceNanos == 0) {
            leftSinceNanos = now;
        }
        if (now - leftSinceNanos < TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMs())) {
            return false;
        }
        // a leader would ask itself, and answer from a quorum of the new configuration alone while
        // the old half of a joint one may still need it: it leaves by its own change (above)
        return !raft.isLeader() && leaderAgrees();
    }

    /**
     * Whether the leader, asked after this member saw itself out of the configuration, refused it
     * twice running: no member at its peer URL in the leader's table, or another one than this.
     * A member catching up (a joiner, or one added back on its old address) reads old
     * configurations, and old removals of its address, on its way to the newest; the leader's
     * table lists it from its MemberAdd on (its raft configuration only once it has caught up),
     * and this member looks again later.
     */
    private boolean leaderAgrees() {
        CompletableFuture<Long> asked = leaderAsked;
        if (asked == null) {
            leaderAsked = raft.memberIdAtLeader(membership.selfPeerUrl());
            return false;
        }
        if (!asked.isDone()) {
            return false;
        }
        leaderAsked = null;
        if (asked.isCompletedExceptionally()) {
            return false; // no leader answered: ask again
        }
        long id = asked.join();
        long learned = membership.learnedId();
        if (id != 0 && (learned == 0 || id == learned)) {
            refusals = 0;
            leftSinceNanos = 0; // listed after all: what this member saw was history
            return false;
        }
        return ++refusals >= 2;
    }

    /**
     * A member that joined an existing cluster asks the leader for its id once it starts:
     * its own table may hold a previous incarnation's id at its address (see
     * {@link Membership#localId}). A member of a new cluster knows its id from the flags.
     */
    private void learnId() {
        if (membership.initialMember() || membership.learnedId() != 0) {
            return;
        }
        CompletableFuture<Long> asked = idAsked;
        if (asked == null) {
            idAsked = raft.memberIdAtLeader(membership.selfPeerUrl());
            return;
        }
        if (!asked.isDone()) {
            return;
        }
        idAsked = null;
        if (!asked.isCompletedExceptionally()) { // else nobody answered: ask again
            take(asked.join());
        }
    }

    /** What the cluster said of this member's address: its id, or 0 for no member there. */
    private void take(long id) {
        removedWhileDown = id == 0 && membership.bootstrapped() && membership.listsSelf();
        if (id != 0 && membership.learnedId() == 0) {
            membership.learnId(id);
            // seen in the table under an earlier incarnation's id is not seen: it must see this one
            listed = false;
            log.info("This member's id in the cluster is {}", Long.toHexString(id));
        }
    }

    private void publish() {
        long id = membership.localId();
        // a joiner publishes, and so counts as started, once raft's configuration lists it:
        // from then on it counts for quorum, as an etcd member publishes through raft
        if (id == 0 || !membership.bootstrapped() || !raft.listedInConfiguration()) {
            return;
        }
        List<String> clientUrls = config.advertiseClientUrls().stream().map(URI::toString).toList();
        Member current = membership.store().byId(id).orElse(null);
        if (current == null || current.getName().equals(config.name()) && current.getClientURLsList().equals(clientUrls)) {
            return; // nothing to publish, or no longer a member
        }
        Member self = Member.newBuilder().setID(id).setName(config.name())
                .addPeerURLs(membership.selfPeerUrl()).addAllClientURLs(clientUrls).build();
        if (self.equals(published)) {
            return; // committed: a member catching up applies it later
        }
        busy = true;
        raft.propose(Command.newBuilder().setMemberPublish(self).build()).whenComplete((r, t) -> {
            busy = false;
            if (t == null) {
                published = self;
                log.info("Published this member ({}, {}) to the cluster", config.name(), Long.toHexString(id));
            }
        });
    }

    private String self() {
        return Membership.hostPort(membership.selfPeerUrl());
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
        boolean leavesSelf = !voters.contains(self()) && !learners.contains(self());
        raft.reconcile(voters, learners).whenComplete((r, t) -> {
            // as leader, this member committed a configuration without itself: it has left, whatever
            // raft does after (a new leader may still send to it for a while)
            leftByOwnChange |= t == null && leavesSelf;
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
