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
import io.cairn.server.concurrent.DaemonThreads;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.FileSync;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.WriteBatch;
import com.alipay.sofa.jraft.entity.LocalFileMetaOutter;
import com.alipay.sofa.jraft.entity.RaftOutter;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final StateSnapshots snapshots;
    private final SnapshotPolicy policy;
    private final FileSync sync;
    private final ExecutorService snapshotWriter = Executors.newSingleThreadExecutor(DaemonThreads.named("cairn-snapshot"));
    /**
     * Answers callers after each commit, in commit order: their replies are built and sent
     * (gRPC writes, forwarded answers) off the apply thread, which goes on to the next batch.
     */
    private final ExecutorService answers = Executors.newSingleThreadExecutor(DaemonThreads.named("cairn-answers"));
    /** JRaft's apply thread, which also runs read-index callbacks that waited for an index to apply. */
    private volatile Thread applyThread;
    /** Told each committed batch's events, after the batch is visible to reads. */
    private volatile java.util.function.Consumer<List<io.cairn.api.etcd.Event>> committed = events -> { };
    private final List<java.util.function.Consumer<String>> failureListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Boolean>> leadershipListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Asks raft for a snapshot; set once the node runs. */
    private volatile Runnable requestSnapshot = () -> { };
    private long appliedSinceSnapshot;
    private volatile long appliedIndex;
    private volatile long term;
    private volatile boolean leader;
    private volatile boolean failed;

    /** {@code sync} forces snapshot files to disk before raft may truncate its log past them. */
    public CairnStateMachine(MvccStore store, Applier applier, StateSnapshots snapshots, SnapshotPolicy policy,
                             FileSync sync) {
        this.store = store;
        this.applier = applier;
        this.snapshots = snapshots;
        this.policy = policy;
        this.sync = sync;
        this.appliedIndex = snapshots.appliedIndex();
    }

    void onStarted(Runnable requestSnapshot) {
        this.requestSnapshot = requestSnapshot;
    }

    @Override
    public void onApply(Iterator it) {
        applyThread = Thread.currentThread();
        List<Proposal> answered = new ArrayList<>();
        List<io.cairn.api.etcd.Event> events = List.of();
        long last = appliedIndex;
        try (WriteBatch batch = store.beginBatch()) {
            while (it.hasNext()) {
                long index = it.getIndex();
                Closure done = it.done();
                if (index > appliedIndex) {
                    Proposal proposal = done instanceof Proposal p ? p : null;
                    Command command = proposal != null ? proposal.command() : Command.parseFrom(it.getData());
                    batch.beginEntry(index);
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
                events = batch.commit(last);
                appliedSinceSnapshot += last - appliedIndex;
                appliedIndex = last;
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // The in-memory index may now disagree with the database: stop applying. A restart
            // rebuilds the index from the last committed batch and replays the rest of the log.
            failed = true;
            store.distrust("applying raft entry " + it.getIndex() + " failed");
            log.error("Applying raft entries failed at index {}; this member stops applying and serving until restarted",
                    it.getIndex(), e);
            failureListeners.forEach(l -> l.accept(e.toString()));
            Status status = new Status(RaftError.ESTATEMACHINE, "apply failed: %s", e);
            it.setErrorAndRollback(1, status);
            answers.execute(() -> answered.forEach(p -> p.run(status))); // after earlier batches' answers
            return;
        }
        committed.accept(events);
        if (!answered.isEmpty()) {
            answers.execute(() -> answered.forEach(p -> p.run(Status.OK())));
        }
        if (appliedSinceSnapshot >= policy.count()) {
            appliedSinceSnapshot = 0;
            requestSnapshot.run();
        }
    }

    /**
     * Copies the state off the apply thread: the copy holds its own applied index, so if it
     * ends up newer than the index raft records, replay after it skips what it already holds.
     */
    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        long index = appliedIndex;
        snapshotWriter.execute(() -> {
            try {
                Path dir = Path.of(writer.getPath());
                List<String> files = snapshots.save(dir);
                // once told the snapshot is saved, raft drops the log it replaces
                sync.forceAll(dir, files);
                for (String file : files) {
                    writer.addFile(file, LocalFileMetaOutter.LocalFileMeta.newBuilder()
                            .setChecksum(SnapshotFiles.checksum(dir.resolve(file))).build());
                }
                policy.retain(dir, index);
                log.info("Saved a raft snapshot at index {}", index);
                done.run(Status.OK());
            } catch (IOException | RuntimeException e) {
                log.error("Saving a raft snapshot at index {} failed", index, e);
                done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e));
            }
        });
    }

    /**
     * Installs a snapshot, unless this member's state already reflects its index (as at a
     * restart, when the database is at least as new as the last snapshot).
     */
    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        RaftOutter.SnapshotMeta meta = reader.load();
        if (meta == null) {
            log.error("Unreadable raft snapshot at {}", reader.getPath());
            return false;
        }
        if (appliedIndex >= meta.getLastIncludedIndex()) {
            return true;
        }
        Path dir = Path.of(reader.getPath());
        try {
            for (String file : reader.listFiles()) {
                LocalFileMetaOutter.LocalFileMeta fileMeta = (LocalFileMetaOutter.LocalFileMeta) reader.getFileMeta(file);
                String actual = SnapshotFiles.checksum(dir.resolve(file));
                if (fileMeta != null && !fileMeta.getChecksum().isEmpty() && !fileMeta.getChecksum().equals(actual)) {
                    log.error("Raft snapshot file {} is corrupt: checksum {} but {} was recorded", file, actual,
                            fileMeta.getChecksum());
                    return false;
                }
            }
            // this member recovers from these files, or sends them on, once the log before them is
            // gone; JRaft forces the contents it downloads but not the directory entries naming them
            sync.forceAll(dir, reader.listFiles());
            snapshots.install(dir);
        } catch (IOException | RuntimeException e) {
            log.error("Installing the raft snapshot at index {} failed", meta.getLastIncludedIndex(), e);
            return false;
        }
        appliedIndex = snapshots.appliedIndex();
        log.info("Installed a raft snapshot at index {} (state at index {}, revision {})",
                meta.getLastIncludedIndex(), appliedIndex, store.currentRevision());
        return true;
    }

    private Object apply(WriteBatch batch, Command command) {
        try {
            return applier.apply(batch, command);
        } catch (ServerException e) {
            return e;
        }
    }

    private final java.util.concurrent.atomic.AtomicLong leaderChanges = new java.util.concurrent.atomic.AtomicLong();

    /** Where each committed batch's events go (the watchers). */
    public void onCommitted(java.util.function.Consumer<List<io.cairn.api.etcd.Event>> listener) {
        this.committed = listener;
    }

    /** Told why, if applying fails and this member stops serving. */
    public void onFailure(java.util.function.Consumer<String> listener) {
        failureListeners.add(listener);
    }

    /** Told {@code true} when this member becomes leader and {@code false} when it stops being one. */
    public void onLeadership(java.util.function.Consumer<Boolean> listener) {
        leadershipListeners.add(listener);
        if (leader) {
            listener.accept(true);
        }
    }

    /** How many times this member saw a new leader (itself included), for the metrics. */
    public long leaderChanges() {
        return leaderChanges.get();
    }

    @Override
    public void onLeaderStart(long term) {
        applyThread = Thread.currentThread();
        this.term = term;
        this.leader = true;
        leaderChanges.incrementAndGet();
        log.info("Became leader at term {}", term);
        leadershipListeners.forEach(l -> l.accept(true));
    }

    @Override
    public void onLeaderStop(Status status) {
        this.leader = false;
        log.info("Stepped down as leader: {}", status.getErrorMsg());
        leadershipListeners.forEach(l -> l.accept(false));
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        applyThread = Thread.currentThread();
        this.term = ctx.getTerm();
        leaderChanges.incrementAndGet();
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

    /**
     * Runs {@code task} now, unless this is the apply thread: then on the answers thread, after
     * the answers already queued, so that what callers chained on it (a forwarded proposal, a
     * password check) never stalls applying.
     */
    public void offApplyThread(Runnable task) {
        if (Thread.currentThread() == applyThread) {
            answers.execute(task);
        } else {
            task.run();
        }
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
