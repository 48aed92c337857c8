package io.cairn.server.node;

import io.cairn.api.etcd.AlarmMember;
import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.AlarmResponse;
import io.cairn.api.etcd.DefragmentResponse;
import io.cairn.api.etcd.HashKVResponse;
import io.cairn.api.etcd.HashResponse;
import io.cairn.api.etcd.Member;
import io.cairn.api.etcd.MoveLeaderResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.StatusResponse;
import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.mvcc.MvccStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** etcd's Maintenance service, transport-free. */
public final class MaintenanceServer {
    /** The etcd API level Cairn serves; clients read it as the server's etcd version. */
    public static final String ETCD_API_VERSION = "3.4.0";

    /** A consistent copy of the database, for a client to download; delete it when sent. */
    public record SnapshotFile(Path file, long size, Path scratch) implements AutoCloseable {
        @Override
        public void close() {
            deleteTree(scratch);
        }
    }

    private final RaftNode raft;
    private final Backend backend;
    private final MvccStore store;
    private final AlarmStore alarms;
    private final Membership membership;
    private final Headers headers;
    private final Path scratchRoot;
    private final long leaderTransferTimeoutMs;

    MaintenanceServer(RaftNode raft, Backend backend, MvccStore store, AlarmStore alarms, Membership membership,
                      Headers headers, Path scratchRoot, long leaderTransferTimeoutMs) {
        this.raft = raft;
        this.backend = backend;
        this.store = store;
        this.alarms = alarms;
        this.membership = membership;
        this.headers = headers;
        this.scratchRoot = scratchRoot;
        this.leaderTransferTimeoutMs = leaderTransferTimeoutMs;
    }

    /** Lists, raises or disarms alarms; every action goes through raft, as in etcd. */
    public CompletableFuture<AlarmResponse> alarm(AlarmRequest r) {
        io.cairn.server.apply.RequestChecks.requireKnown(r.getAction());
        io.cairn.server.apply.RequestChecks.requireKnown(r.getAlarm());
        return raft.propose(Command.newBuilder().setAlarm(r).build())
                .thenApply(m -> headers.complete((AlarmResponse) m));
    }

    public StatusResponse status() {
        StatusResponse.Builder resp = StatusResponse.newBuilder()
                .setVersion(ETCD_API_VERSION)
                .setDbSize(backend.sizeBytes())
                .setDbSizeInUse(backend.sizeInUseBytes())
                .setRaftIndex(raft.committedIndex())
                .setRaftTerm(raft.term())
                .setRaftAppliedIndex(raft.appliedIndex());
        String leader = raft.leader();
        long leaderId = leader == null ? 0 : membership.idOfPeer(leader);
        if (leaderId != 0) {
            resp.setLeader(leaderId);
        } else {
            resp.addErrors(ServerError.NO_LEADER.text());
        }
        resp.setIsLearner(membership.isLearner());
        for (AlarmMember a : alarms.active()) {
            // etcd prints an alarm in protobuf's Go text form
            resp.addErrors("memberID:" + Long.toUnsignedString(a.getMemberID()) + " alarm:" + a.getAlarm() + " ");
        }
        return headers.complete(resp.build());
    }

    /**
     * etcd's health check: a leader, no alarm, and a linearizable read within a second.
     *
     * @return "" when healthy, else why not
     */
    public CompletableFuture<String> health() {
        StatusResponse status = status();
        if (!status.getErrorsList().isEmpty()) {
            return CompletableFuture.completedFuture(String.join("; ", status.getErrorsList()).trim());
        }
        return raft.readIndex().orTimeout(1, java.util.concurrent.TimeUnit.SECONDS)
                .handle((ok, failure) -> failure == null ? "" : "a linearizable read timed out");
    }

    public HashResponse hash() {
        return headers.complete(HashResponse.newBuilder()
                .setHeader(ResponseHeader.getDefaultInstance()).setHash(backend.hash()).build());
    }

    public HashKVResponse hashKv(long revision) {
        MvccStore.KvHash h = store.hashKv(revision);
        return headers.complete(HashKVResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(h.revision()))
                .setHash(h.hash()).setCompactRevision(h.compactRevision()).build());
    }

    /** Copies the database for download; writes go on meanwhile. */
    public SnapshotFile snapshot() {
        Path scratch = scratch("snapshot");
        try {
            backend.copyTo(scratch);
            Path file = scratch.resolve(Backend.DATA_FILE);
            return new SnapshotFile(file, Files.size(file), scratch);
        } catch (IOException e) {
            deleteTree(scratch);
            throw new UncheckedIOException(e);
        }
    }

    public DefragmentResponse defragment() {
        Path scratch = scratch("defrag");
        try {
            store.defragment(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(scratch);
        }
        return headers.complete(DefragmentResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance()).build());
    }

    /** Hands leadership to {@code targetId}; only the leader may, as in etcd. */
    public MoveLeaderResponse moveLeader(long targetId) {
        if (!raft.isLeader()) {
            throw ServerError.NOT_LEADER.exception();
        }
        Member target = membership.members().stream().filter(m -> m.getID() == targetId && !m.getIsLearner())
                .findFirst().orElseThrow(ServerError.BAD_LEADER_TRANSFEREE::exception);
        String peer = Membership.hostPort(target.getPeerURLs(0));
        long deadline = System.nanoTime() + leaderTransferTimeoutMs * 1_000_000;
        // a membership change just made may still be under way in raft: the transfer waits for it
        boolean begun = raft.transferLeadershipTo(peer);
        while (!begun || !peer.equals(raft.leader())) {
            if (System.nanoTime() > deadline) {
                throw ServerError.LEADER_TRANSFER_TIMEOUT.exception();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ServerError.STOPPED.exception();
            }
            begun = begun || raft.transferLeadershipTo(peer);
        }
        return headers.complete(MoveLeaderResponse.newBuilder().setHeader(ResponseHeader.getDefaultInstance()).build());
    }

    private Path scratch(String purpose) {
        try {
            Files.createDirectories(scratchRoot);
            return Files.createTempDirectory(scratchRoot, purpose);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover scratch file is cleaned at the next start
        }
    }
}
