package io.cairn.server.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.google.protobuf.Message;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;

/** One member of the raft group: proposes commands and answers read-index requests. */
public final class RaftNode implements AutoCloseable {
    private static final int APPLY_BATCH = 256;

    static {
        // Bolt (JRaft's transport) builds its own logback context with an API that logback 1.5
        // removed; keep it out of the way. JRaft's own logs still go through slf4j.
        if (System.getProperty("sofa.middleware.log.disable") == null) {
            System.setProperty("sofa.middleware.log.disable", "true");
        }
    }

    private final RaftGroupService service;
    private final Node node;
    private final CairnStateMachine fsm;

    private RaftNode(RaftGroupService service, Node node, CairnStateMachine fsm) {
        this.service = service;
        this.node = node;
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
        options.setRaftOptions(raftOptions);
        options.setLogUri(config.dataDir().resolve("log").toString());
        options.setRaftMetaUri(config.dataDir().resolve("meta").toString());
        options.setSharedTimerPool(true);
        PeerId self = PeerId.parsePeer(config.self());
        RaftGroupService service = new RaftGroupService(RaftConfig.GROUP_ID, self, options);
        Node node = service.start();
        if (node == null) {
            service.shutdown();
            throw new IOException("raft member " + config.self() + " failed to start; see the log above");
        }
        return new RaftNode(service, node, fsm);
    }

    /**
     * Proposes {@code command}; completes with the applied command's response once committed
     * and applied here, or fails with a {@link io.cairn.server.errors.ServerException}.
     */
    public CompletableFuture<Message> propose(Command command) {
        Proposal proposal = new Proposal(command);
        if (fsm.failed()) {
            proposal.future().completeExceptionally(ServerError.STOPPED.exception());
            return proposal.future();
        }
        node.apply(new Task(ByteBuffer.wrap(command.toByteArray()), proposal));
        return proposal.future();
    }

    /**
     * Completes once this member has applied everything committed when it was called, as
     * confirmed by a quorum: a read after it is linearizable.
     */
    public CompletableFuture<Void> readIndex() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        node.readIndex(new byte[0], new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] context) {
                if (status.isOk()) {
                    ready.complete(null);
                } else {
                    ready.completeExceptionally(Proposal.failure(status).exception());
                }
            }
        });
        return ready;
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

    @Override
    public void close() throws InterruptedException {
        service.shutdown();
        service.join();
    }
}
