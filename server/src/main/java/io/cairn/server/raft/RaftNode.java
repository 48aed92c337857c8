package io.cairn.server.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.google.protobuf.Message;
import io.cairn.server.command.Command;
import io.cairn.server.command.LeaderAnswer;
import io.cairn.server.command.LeaderQuery;
import io.cairn.server.errors.ServerError;
import io.cairn.server.time.WallClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One member of the raft group: proposes commands and answers read-index requests. */
public final class RaftNode implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RaftNode.class);
    private static final int APPLY_BATCH = 256;

    static {
        // Bolt (JRaft's transport) builds its own logback context with an API that logback 1.5
        // removed; keep it out of the way. JRaft's own logs still go through slf4j.
        if (System.getProperty("sofa.middleware.log.disable") == null) {
            System.setProperty("sofa.middleware.log.disable", "true");
        }
        ForwardSerializer.register();
    }

    private final RaftGroupService service;
    private final CairnStateMachine fsm;
    /** Set once JRaft has started; forwarded requests may arrive a moment before. */
    private volatile Node node;
    private volatile Forwarder forwarder;
    /** What the leader checks a command against before proposing it: null admits it. */
    private volatile Function<Command, ServerError> admission = command -> null;
    private final LeaderQueryProcessor leaderQueries = new LeaderQueryProcessor();
    private long readDeadlineMs;
    /** The other members named by the initial cluster flag. */
    private List<PeerId> initialPeers = List.of();

    private RaftNode(RaftGroupService service, CairnStateMachine fsm) {
        this.service = service;
        this.fsm = fsm;
    }

    /** Starts the member; its log and meta live under {@code config.dataDir()}. */
    public static RaftNode start(RaftConfig config, CairnStateMachine fsm) throws IOException {
        // RocksDB, which holds JRaft's log, does not create parent folders.
        Files.createDirectories(config.dataDir().resolve("log"));
        Files.createDirectories(config.dataDir().resolve("meta"));
        Configuration initial = new Configuration();
        for (String member : config.initialMembers()) {
            initial.addPeer(PeerId.parsePeer(member));
        }
        NodeOptions options = new NodeOptions();
        options.setFsm(fsm);
        options.setInitialConf(initial);
        options.setElectionTimeoutMs(config.electionTimeoutMs());
        RaftOptions raftOptions = new RaftOptions();
        raftOptions.setElectionHeartbeatFactor(Math.max(1, config.electionTimeoutMs() / config.heartbeatIntervalMs()));
        // Hand the state machine bigger batches: each batch is one LMDB commit and one fsync.
        raftOptions.setApplyBatch(APPLY_BATCH);
        raftOptions.setOpenStatistics(false); // RocksDB's statistics cost every log write; nothing reads them
        options.setRaftOptions(raftOptions);
        options.setLogUri(config.dataDir().resolve("log").toString());
        options.setSnapshotUri(snapshotDir(config.dataDir()).toString());
        options.setSnapshotIntervalSecs(0); // snapshots follow --snapshot-count instead
        options.setRaftMetaUri(config.dataDir().resolve("meta").toString());
        options.setSharedTimerPool(true);
        JvmSignals.keepSuspendSignal();
        PeerId self = PeerId.parsePeer(config.self());
        RpcServer rpcServer = RaftRpcServerFactory.createRaftRpcServer(self.getEndpoint());
        RaftGroupService service = new RaftGroupService(RaftConfig.GROUP_ID, self, options, rpcServer);
        RaftNode raft = new RaftNode(service, fsm);
        raft.initialPeers = initial.getPeers().stream().filter(p -> !p.equals(self)).toList();
        rpcServer.registerProcessor(new ForwardProcessor(raft));
        rpcServer.registerProcessor(raft.leaderQueries);
        Node node = service.start();
        if (node == null) {
            service.shutdown();
            throw new IOException("raft member " + config.self() + " failed to start; see the log above");
        }
        node.addReplicatorStateListener(new PeerHealthLog());
        raft.node = node;
        raft.forwarder = new Forwarder(node, config.electionTimeoutMs());
        raft.readDeadlineMs = 3L * config.electionTimeoutMs() + 1000;
        fsm.onStarted(() -> node.snapshot(null));
        return raft;
    }

    /** Where JRaft keeps its snapshots in the raft data dir {@code dataDir}. */
    static Path snapshotDir(Path dataDir) {
        return dataDir.resolve("snapshot");
    }

    /**
     * Proposes {@code command}; completes with the applied command's response once committed
     * and applied here, or fails with a {@link io.cairn.server.errors.ServerException}.
     */
    public CompletableFuture<Message> propose(Command command) {
        return fsm.isLeader() ? proposeAsLeader(command) : forwarder.forward(command);
    }

    /** Proposes {@code command} here; fails with {@code NOT_LEADER}, before appending, on a follower. */
    CompletableFuture<Message> proposeAsLeader(Command command) {
        if (command.hasConfigChange()) {
            // a config change records when it happened: the leader's clock, the same on every member
            command = command.toBuilder().setLeaderTimeMs(WallClock.nowMs()).build();
        }
        ServerError refused;
        try {
            refused = refusal(command);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (refused == ServerError.RECONFIGURATION_UNDER_WAY) {
            // an earlier membership change ends by itself, mostly within moments: wait for it a
            // while, within a forwarding member's deadline, so that the answer still reaches it
            CompletableFuture<Message> result = new CompletableFuture<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readDeadlineMs / 2);
            Command waiting = command;
            forwarder.schedule(() -> proposeOnceAdmitted(waiting, result, deadline), result);
            return result;
        }
        return refused != null ? CompletableFuture.failedFuture(refused.exception()) : append(command);
    }

    private void proposeOnceAdmitted(Command command, CompletableFuture<Message> result, long deadline) {
        ServerError refused;
        try {
            refused = refusal(command);
        } catch (RuntimeException e) {
            result.completeExceptionally(e); // on a retry's thread, an exception would be lost
            return;
        }
        if (refused == ServerError.RECONFIGURATION_UNDER_WAY && System.nanoTime() < deadline) {
            forwarder.schedule(() -> proposeOnceAdmitted(command, result, deadline), result);
        } else if (refused != null) {
            result.completeExceptionally(refused.exception());
        } else {
            append(command).whenComplete((r, t) -> {
                if (t != null) {
                    result.completeExceptionally(t);
                } else {
                    result.complete(r);
                }
            });
        }
    }

    private ServerError refusal(Command command) {
        return fsm.failed() ? ServerError.STOPPED
                : !fsm.isLeader() || node == null ? ServerError.NOT_LEADER
                : admission.apply(command);
    }

    private CompletableFuture<Message> append(Command command) {
        Proposal proposal = new Proposal(command);
        node.apply(new Task(ByteBuffer.wrap(command.toByteArray()), proposal));
        return proposal.future();
    }

    /** Sets what the leader checks each command against before proposing it (null admits it). */
    public void admitProposals(Function<Command, ServerError> check) {
        admission = check;
    }

    /**
     * The newest raft configuration this member knows, as {@code host:port}, with the peers that
     * answered the leader within a leader lease (empty on a follower).
     */
    public Peers peers() {
        if (!(node instanceof NodeImpl impl)) {
            return new Peers(Set.of(), Set.of(), Set.of(), Set.of());
        }
        Configuration conf = impl.getCurrentConf();
        Set<String> aliveVoters = Set.of();
        Set<String> aliveLearners = Set.of();
        try {
            aliveVoters = endpoints(impl.listAlivePeers());
            aliveLearners = endpoints(impl.listAliveLearners());
        } catch (IllegalStateException notLeader) {
            // only a leader knows who answers it
        }
        return new Peers(endpoints(conf.listPeers()), endpoints(conf.listLearners()), aliveVoters, aliveLearners);
    }

    /** Raft's voters and learners, and those of them alive as the leader sees them. */
    public record Peers(Set<String> voters, Set<String> learners, Set<String> aliveVoters, Set<String> aliveLearners) {
    }

    private static Set<String> endpoints(Collection<PeerId> peers) {
        Set<String> out = new TreeSet<>();
        peers.forEach(p -> out.add(p.getEndpoint().toString()));
        return out;
    }

    /**
     * Completes once this member has applied everything committed when it was called, as
     * confirmed by a quorum: a read after it is linearizable.
     */
    public CompletableFuture<Void> readIndex() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        readIndex(ready, System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(readDeadlineMs));
        return ready;
    }

    /**
     * Like etcd, a read waits out an election rather than failing at once: a read index that
     * fails (no leader yet, leader just lost) is asked again until the deadline. JRaft calls
     * back on its apply thread when the read waited for its index to apply; callers chain
     * work on {@code ready}, so it is completed off that thread.
     */
    private void readIndex(CompletableFuture<Void> ready, long deadline) {
        node.readIndex(new byte[0], new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] context) {
                ServerError error = status.isOk() ? null : RaftErrors.forRead(status);
                if (error == null) {
                    fsm.offApplyThread(() -> ready.complete(null));
                } else if (error == ServerError.STOPPED || System.nanoTime() > deadline) {
                    fsm.offApplyThread(() -> ready.completeExceptionally(error.exception()));
                } else {
                    forwarder.schedule(() -> readIndex(ready, deadline), ready);
                }
            }
        });
    }

    public long committedIndex() {
        return node.getLastCommittedIndex();
    }

    /** The last raft index applied here, configuration entries included. */
    public long appliedIndex() {
        return node.getLastAppliedLogIndex();
    }

    public long term() {
        return fsm.term();
    }

    public boolean isLeader() {
        return fsm.isLeader();
    }

    public CairnStateMachine stateMachine() {
        return fsm;
    }

    /**
     * On the leader: makes raft's configuration {@code voters} and {@code learners} (peer
     * addresses) if it is not already. JRaft first catches new voters up, so this fails while
     * a new member is not yet running; the caller tries again later.
     */
    public CompletableFuture<Void> reconcile(List<String> voters, List<String> learners) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Configuration target = new Configuration();
        voters.forEach(v -> target.addPeer(PeerId.parsePeer(v)));
        learners.forEach(l -> target.addLearner(PeerId.parsePeer(l)));
        Configuration current = new Configuration(node.listPeers(), node.listLearners());
        if (!fsm.isLeader()) {
            done.completeExceptionally(ServerError.NOT_LEADER.exception());
            return done;
        }
        if (target.equals(current)) {
            done.complete(null);
            return done;
        }
        // JRaft refuses a peer that is learner in the old half of a joint configuration and voter
        // in the new: a learner promoted leaves as learner first, and comes back as voter next time
        List<PeerId> promoted = current.listLearners().stream().filter(target::contains).toList();
        Configuration next = promoted.isEmpty() ? target : new Configuration(current.listPeers(),
                current.listLearners().stream().filter(l -> !promoted.contains(l)).toList());
        log.debug("Changing the raft configuration from {} to {}", current, next);
        node.changePeers(next, status -> {
            if (status.isOk()) {
                log.info("Raft configuration is now {}", next);
                done.complete(null);
            } else {
                done.completeExceptionally(new IllegalStateException(status.getErrorMsg()));
            }
        });
        return done;
    }

    /**
     * Whether the newest raft configuration this member has in its log lists it, as voter or
     * learner. That configuration may not be committed yet, and of a joint one it is the new
     * half; true while this member knows of none (a joiner that has not heard from the leader).
     */
    public boolean inConfiguration() {
        return !knowsConfiguration() || listedInConfiguration();
    }

    /** Whether this member knows any raft configuration (a joiner may know none yet). */
    public boolean knowsConfiguration() {
        Configuration conf = node instanceof NodeImpl impl ? impl.getCurrentConf() : null;
        return conf != null && !(conf.isEmpty() && conf.listLearners().isEmpty());
    }

    /** Whether the newest raft configuration this member knows lists it, as voter or learner. */
    public boolean listedInConfiguration() {
        if (!(node instanceof NodeImpl impl) || !knowsConfiguration()) {
            return false;
        }
        Configuration conf = impl.getCurrentConf();
        PeerId self = impl.getServerId();
        return conf.contains(self) || conf.listLearners().contains(self);
    }

    /**
     * Hands leadership to the member at {@code peer}: true once the transfer began, false while
     * raft is busy with a configuration change or another transfer (JRaft refuses then; etcd
     * waits), so the caller may ask again. Fails unless this member leads.
     */
    public boolean transferLeadershipTo(String peer) {
        Status status = node.transferLeadershipTo(PeerId.parsePeer(peer));
        if (status.isOk()) {
            return true;
        }
        if (!fsm.isLeader()) {
            throw ServerError.NOT_LEADER.exception();
        }
        if (status.getRaftError() == RaftError.EBUSY) {
            return false;
        }
        throw ServerError.TIMEOUT.exception();
    }

    /** Asks the leader (over the peer port) a lease question only it can answer. */
    public CompletableFuture<LeaderAnswer> askLeader(LeaderQuery query) {
        return forwarder.ask(query);
    }

    /** How this member, when leader, answers the lease questions followers forward. */
    public void answerLeaseQueries(java.util.function.Function<LeaderQuery, CompletableFuture<LeaderAnswer>> handler) {
        leaderQueries.leases(handler);
    }

    /**
     * Asks the leader the id of the member it knows at {@code peerUrl} (0 for none). Unlike its
     * raft configuration, which lists a member added back only once it has caught up, the
     * member table lists it from its MemberAdd on.
     */
    public CompletableFuture<Long> memberIdAtLeader(String peerUrl) {
        return forwarder.ask(LeaderQuery.newBuilder().setMemberPeerUrl(peerUrl).build(), this::otherMembers)
                .thenApply(LeaderAnswer::getMemberId);
    }

    /** The other members this one knows of: its raft configuration's and the initial cluster's. */
    private List<PeerId> otherMembers() {
        java.util.LinkedHashSet<PeerId> peers = new java.util.LinkedHashSet<>(initialPeers);
        if (node instanceof NodeImpl impl && impl.getCurrentConf() != null) {
            peers.addAll(impl.getCurrentConf().getPeers());
            peers.addAll(impl.getCurrentConf().getLearners());
            peers.remove(impl.getServerId());
        }
        return List.copyOf(peers);
    }

    /** How this member answers {@link #memberIdAtLeader}, asked as leader (any member's answer would do). */
    public void answerMemberQueries(java.util.function.Function<String, CompletableFuture<Long>> handler) {
        leaderQueries.members(handler);
    }

    /** This member's view of the leader's peer address, or null when it knows of none. */
    public String leader() {
        PeerId leader = node.getLeaderId();
        return leader == null || leader.isEmpty() ? null : leader.getEndpoint().toString();
    }

    @Override
    public void close() throws InterruptedException {
        forwarder.close();
        service.shutdown();
        service.join();
    }
}
