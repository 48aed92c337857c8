package io.cairn.server.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.server.apply.Applier;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.Schema;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed commands: each raft batch in one LMDB write transaction that also records
 * the batch's last index, so that entries at or below the recorded index are skipped when the
 * log is replayed after a restart. Callers' futures complete only after the commit.
 */
public final class CairnStateMachine extends StateMachineAdapter {
    private static final Logger log = LoggerFactory.getLogger(CairnStateMachine.class);

    private final MvccStore store;
    private final Applier applier;
    private volatile long appliedIndex;
    private volatile long term;
    private volatile boolean leader;
    private volatile boolean failed;

    public CairnStateMachine(MvccStore store, Applier applier) {
        this.store = store;
        this.applier = applier;
        this.appliedIndex = store.backend().readMeta(Schema.Meta.APPLIED_INDEX).orElse(0);
    }

    @Override
    public void onApply(Iterator it) {
        List<Proposal> answered = new ArrayList<>();
        long last = appliedIndex;
        try (WriteBatch batch = store.beginBatch()) {
            while (it.hasNext()) {
                long index = it.getIndex();
                Closure done = it.done();
                if (index > appliedIndex) {
                    Proposal proposal = done instanceof Proposal p ? p : null;
                    Command command = proposal != null ? proposal.command() : Command.parseFrom(it.getData());
                    Object outcome = apply(batch, command);
                    if (proposal != null) {
                        proposal.setOutcome(outcome);
                        answered.add(proposal);
                    }
                    last = index;
                } else if (done != null) {
                    answered.add((Proposal) done); // cannot happen: replayed entries have no caller
                }
                it.next();
            }
            if (last > appliedIndex) {
                batch.commit(last);
                appliedIndex = last;
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // The in-memory index may now disagree with the database: stop applying. A restart
            // rebuilds the index from the last committed batch and replays the rest of the log.
            failed = true;
            log.error("Applying raft entries failed at index {}; this member stops applying until restarted",
                    it.getIndex(), e);
            Status status = new Status(RaftError.ESTATEMACHINE, "apply failed: %s", e);
            it.setErrorAndRollback(1, status);
            answered.forEach(p -> p.run(status));
            return;
        }
        for (Proposal p : answered) {
            p.run(Status.OK());
        }
    }

    private Object apply(WriteBatch batch, Command command) {
        try {
            return applier.apply(batch, command);
        } catch (ServerException e) {
            return e;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        this.term = term;
        this.leader = true;
        log.info("Became leader at term {}", term);
    }

    @Override
    public void onLeaderStop(Status status) {
        this.leader = false;
        log.info("Stepped down as leader: {}", status.getErrorMsg());
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        this.term = ctx.getTerm();
        log.info("Following leader {} at term {}", ctx.getLeaderId(), ctx.getTerm());
    }

    @Override
    public void onError(RaftException e) {
        failed = true;
        log.error("Raft reported an error; this member stops serving writes: {}", e.getStatus());
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    /** The latest raft term this member has seen. */
    public long term() {
        return term;
    }

    public boolean isLeader() {
        return leader;
    }

    /** True once applying failed; the member must be restarted. */
    public boolean failed() {
        return failed;
    }
}
