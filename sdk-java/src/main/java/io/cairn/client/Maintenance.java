package io.cairn.client;

import io.cairn.api.etcd.AlarmMember;
import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.DefragmentRequest;
import io.cairn.api.etcd.HashKVRequest;
import io.cairn.api.etcd.HashRequest;
import io.cairn.api.etcd.MaintenanceGrpc;
import io.cairn.api.etcd.MoveLeaderRequest;
import io.cairn.api.etcd.SnapshotRequest;
import io.cairn.api.etcd.StatusRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Looking after members: status, alarms, defragmentation, hashes, snapshots, leadership
 * transfer. Most calls concern the one member that answers (the client spreads calls over its
 * endpoints): to reach each member, make a client per endpoint.
 *
 * <p>Every call answers a future completed on a gRPC thread (do not block in its callbacks),
 * or failed with a {@link CairnException} carrying etcd's text. Reads are retried on another
 * endpoint when one is unavailable; calls that change something never are.
 */
public final class Maintenance {
    private final Calls calls;
    private final Sync sync = new Sync();

    Maintenance(Calls calls) {
        this.calls = calls;
    }

    /**
     * One member's state.
     *
     * @param version          the etcd API version it serves, such as "3.5.0"
     * @param dbSize           bytes of its database file
     * @param leader           the leader's member id as it knows it; 0 when it knows none
     * @param raftIndex        its raft log's committed index
     * @param raftAppliedIndex the last log index it applied
     * @param errors           alarms and health problems, in etcd's wording; empty when none
     * @param dbSizeInUse      bytes of its database holding data (defragmenting reclaims the rest)
     * @param learner          whether it is a learner
     */
    public record Status(Header header, String version, long dbSize, long leader, long raftIndex, long raftTerm,
                         long raftAppliedIndex, List<String> errors, long dbSizeInUse, boolean learner) {
        /** Checks and copies the components: the record is immutable. */
        public Status {
            errors = List.copyOf(errors);
        }

        /** Whether the answering member is the leader. */
        public boolean isLeader() {
            return leader != 0 && leader == header.memberId();
        }
    }

    /** What an alarm is about; in etcd's order, which is its wire numbering. */
    public enum AlarmType {
        /** No alarm (etcd's AlarmType 0); never raised. */
        NONE,
        /** The database reached its quota: writes fail with "etcdserver: mvcc: database space exceeded". */
        NOSPACE,
        /** Members' data differ: the cluster refuses writes with "etcdserver: corrupt cluster". */
        CORRUPT
    }

    /** An alarm raised by member {@code memberId}. */
    public record Alarm(long memberId, AlarmType type) {
    }

    /** A hash of one member's whole database: it changes with every write. */
    public record Hash(Header header, long hash) {
    }

    /**
     * A hash of the key-value history, the same on every member that applied the same writes.
     *
     * @param header          its revision is the revision hashed up to
     * @param compactRevision the revision the history was compacted at; hashes compare only
     *                        between answers with the same one
     */
    public record HashKv(Header header, long hash, long compactRevision) {
    }

    /** The answering member's status. */
    public CompletableFuture<Status> status() {
        return calls.unary(MaintenanceGrpc.getStatusMethod(), StatusRequest.getDefaultInstance(), true)
                .thenApply(r -> new Status(Wire.header(r.getHeader()), r.getVersion(), r.getDbSize(), r.getLeader(),
                        r.getRaftIndex(), r.getRaftTerm(), r.getRaftAppliedIndex(), r.getErrorsList(),
                        r.getDbSizeInUse(), r.getIsLearner()));
    }

    /** Every alarm raised in the cluster; empty when none. */
    public CompletableFuture<List<Alarm>> alarms() {
        return alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build(), true);
    }

    /**
     * Disarms an alarm, as {@code etcdctl alarm disarm} does for each one listed; writes
     * refused for a NOSPACE alarm go through again (free space first: compact, defragment).
     * Answers the alarms disarmed: none when it was not raised.
     */
    public CompletableFuture<List<Alarm>> disarm(Alarm alarm) {
        return alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                .setMemberID(alarm.memberId()).setAlarmValue(alarm.type().ordinal()).build(), false);
    }

    private CompletableFuture<List<Alarm>> alarm(AlarmRequest request, boolean idempotent) {
        return calls.unary(MaintenanceGrpc.getAlarmMethod(), request, idempotent)
                .thenApply(r -> r.getAlarmsList().stream().map(Maintenance::alarm).toList());
    }

    private static Alarm alarm(AlarmMember a) {
        AlarmType type = a.getAlarmValue() >= 0 && a.getAlarmValue() < AlarmType.values().length
                ? AlarmType.values()[a.getAlarmValue()] : AlarmType.NONE;
        return new Alarm(a.getMemberID(), type);
    }

    /**
     * Rewrites the answering member's database file without its free pages, giving the space
     * back to the file system. The member answers nothing else meanwhile; the call is bounded
     * by the client's timeout, so use a client with a long one for a large database.
     */
    public CompletableFuture<Header> defragment() {
        return calls.unary(MaintenanceGrpc.getDefragmentMethod(), DefragmentRequest.getDefaultInstance(), false)
                .thenApply(r -> Wire.header(r.getHeader()));
    }

    /** The answering member's database hash (unsigned 32 bits): for comparing a member with itself. */
    public CompletableFuture<Hash> hash() {
        return calls.unary(MaintenanceGrpc.getHashMethod(), HashRequest.getDefaultInstance(), true)
                .thenApply(r -> new Hash(Wire.header(r.getHeader()), Integer.toUnsignedLong(r.getHash())));
    }

    /**
     * The hash (unsigned 32 bits) of the key-value history up to {@code revision}, 0 for the
     * latest: members agree on it when they hold the same data. Fails with "etcdserver: mvcc:
     * required revision has been compacted" or "etcdserver: mvcc: required revision is a
     * future revision".
     */
    public CompletableFuture<HashKv> hashKv(long revision) {
        return calls.unary(MaintenanceGrpc.getHashKVMethod(), HashKVRequest.newBuilder().setRevision(revision).build(), true)
                .thenApply(r -> new HashKv(Wire.header(r.getHeader()), Integer.toUnsignedLong(r.getHash()),
                        r.getCompactRevision()));
    }

    /**
     * Streams a snapshot of the answering member's database into {@code out}, as etcd sends
     * it: the database followed by its SHA-256 (32 bytes), which {@code etcdctl snapshot
     * restore} checks. The checksum is checked here too: a mismatch fails the future with
     * DATA_LOSS. {@code out} is neither flushed to disk nor closed here.
     *
     * <p>The download has no deadline, since a large database takes long: a member that goes
     * away is noticed by the connection's keep-alive, and cancelling the future stops the
     * download. It is not retried. {@code out} and {@code progress} are called on a gRPC thread,
     * one chunk at a time; a slow {@code out} slows the member's sending down.
     *
     * @param progress told the running total of bytes written after each chunk
     * @return the bytes written, checksum included; failed with a CairnException when the
     *         member fails, or (code UNKNOWN) when {@code out} or {@code progress} throws
     */
    public CompletableFuture<Long> snapshot(OutputStream out, LongConsumer progress) {
        CompletableFuture<Long> written = new CompletableFuture<>();
        calls.ensureToken().whenComplete((ok, failure) -> {
            if (failure != null) {
                written.completeExceptionally(CairnException.of(failure));
            } else if (!written.isDone()) {
                MaintenanceGrpc.newStub(calls.channel())
                        .snapshot(SnapshotRequest.getDefaultInstance(), new SnapshotDownload(out, progress, written));
            }
        });
        return written;
    }

    /**
     * Saves a snapshot (see {@link #snapshot(OutputStream, LongConsumer)}) as {@code file}, as
     * {@code etcdctl snapshot save} does: into {@code file.part}, forced to disk, then renamed
     * over {@code file} at once, so {@code file} is never a partial snapshot. On any failure
     * (cancelling the future included) the part is deleted and {@code file} left as it was.
     */
    public CompletableFuture<Long> snapshot(Path file, LongConsumer progress) {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        FileChannel channel;
        try {
            channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(cannotSave(part, e));
        }
        CompletableFuture<Long> download = snapshot(Channels.newOutputStream(channel), progress);
        CompletableFuture<Long> saved = download.handle((size, failure) -> {
            try (channel) {
                if (failure == null) {
                    channel.force(true);
                    channel.close();
                    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
                    return size;
                }
            } catch (IOException e) {
                failure = cannotSave(file, e);
            }
            deleteQuietly(part);
            throw CairnException.of(failure);
        });
        saved.whenComplete((size, failure) -> {
            if (saved.isCancelled()) {
                download.cancel(false);
            }
        });
        return saved;
    }

    private static CairnException cannotSave(Path file, IOException e) {
        return new CairnException(CairnException.Code.UNKNOWN, "cannot save the snapshot as " + file + ": " + e, e);
    }

    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            // the failure that brought us here is the one to report
        }
    }

    /**
     * Hands the leadership to voting member {@code targetMemberId}, answering once it leads.
     * Only the leader can: fails with "etcdserver: not leader" when the call reaches another
     * member (give the client the leader's endpoint only; {@link Status#leader()} names it),
     * "etcdserver: bad leader transferee" when the target is no voting member, and "etcdserver:
     * request timed out, leader transfer took too long".
     */
    public CompletableFuture<Header> moveLeader(long targetMemberId) {
        return calls.unary(MaintenanceGrpc.getMoveLeaderMethod(), MoveLeaderRequest.newBuilder().setTargetID(targetMemberId).build(), false)
                .thenApply(r -> Wire.header(r.getHeader()));
    }

    /** The same calls, waiting for their answers. */
    public Sync sync() {
        return sync;
    }

    /** Blocking twins of {@link Maintenance}'s calls; failures are thrown as {@link CairnException}. */
    public final class Sync {
        /** @see Maintenance#status() */
        public Status status() {
            return Calls.await(Maintenance.this.status());
        }

        /** @see Maintenance#alarms() */
        public List<Alarm> alarms() {
            return Calls.await(Maintenance.this.alarms());
        }

        /** @see Maintenance#disarm(Alarm) */
        public List<Alarm> disarm(Alarm alarm) {
            return Calls.await(Maintenance.this.disarm(alarm));
        }

        /** @see Maintenance#defragment() */
        public Header defragment() {
            return Calls.await(Maintenance.this.defragment());
        }

        /** @see Maintenance#hash() */
        public Hash hash() {
            return Calls.await(Maintenance.this.hash());
        }

        /** @see Maintenance#hashKv(long) */
        public HashKv hashKv(long revision) {
            return Calls.await(Maintenance.this.hashKv(revision));
        }

        /**
         * Waits as long as the download takes.
         *
         * @see Maintenance#snapshot(OutputStream, LongConsumer)
         */
        public long snapshot(OutputStream out, LongConsumer progress) {
            return Calls.await(Maintenance.this.snapshot(out, progress));
        }

        /**
         * Waits as long as the download takes.
         *
         * @see Maintenance#snapshot(Path, LongConsumer)
         */
        public long snapshot(Path file, LongConsumer progress) {
            return Calls.await(Maintenance.this.snapshot(file, progress));
        }

        /** @see Maintenance#moveLeader(long) */
        public Header moveLeader(long targetMemberId) {
            return Calls.await(Maintenance.this.moveLeader(targetMemberId));
        }
    }
}
