package io.cairn.server.api;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.AlarmResponse;
import io.cairn.api.etcd.DefragmentRequest;
import io.cairn.api.etcd.DefragmentResponse;
import io.cairn.api.etcd.HashKVRequest;
import io.cairn.api.etcd.HashKVResponse;
import io.cairn.api.etcd.HashRequest;
import io.cairn.api.etcd.HashResponse;
import io.cairn.api.etcd.MaintenanceGrpc;
import io.cairn.api.etcd.MoveLeaderRequest;
import io.cairn.api.etcd.MoveLeaderResponse;
import io.cairn.api.etcd.SnapshotRequest;
import io.cairn.api.etcd.SnapshotResponse;
import io.cairn.api.etcd.StatusRequest;
import io.cairn.api.etcd.StatusResponse;
import io.cairn.server.node.MaintenanceServer;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** etcdserverpb.Maintenance over gRPC. */
public final class MaintenanceGrpcService extends MaintenanceGrpc.MaintenanceImplBase {
    private static final int CHUNK = 32 * 1024;

    private final MaintenanceServer maintenance;

    public MaintenanceGrpcService(MaintenanceServer maintenance) {
        this.maintenance = maintenance;
    }

    private static <T> void now(Supplier<T> call, StreamObserver<T> observer) {
        Replies.reply(() -> CompletableFuture.completedFuture(call.get()), observer);
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
        Replies.reply(() -> maintenance.alarm(request), observer);
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        now(maintenance::status, observer);
    }

    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> observer) {
        now(maintenance::hash, observer);
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> observer) {
        now(() -> maintenance.hashKv(request.getRevision()), observer);
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> observer) {
        now(maintenance::defragment, observer);
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> observer) {
        now(() -> maintenance.moveLeader(request.getTargetID()), observer);
    }

    /**
     * Streams the database in chunks, then its SHA-256 as a last chunk, as etcd does (etcdctl
     * writes it all to the snapshot file). Waits for the client to keep up, so a slow reader
     * costs no memory.
     */
    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
        ServerCallStreamObserver<SnapshotResponse> out = (ServerCallStreamObserver<SnapshotResponse>) observer;
        try (MaintenanceServer.SnapshotFile snap = maintenance.snapshot();
             InputStream in = Files.newInputStream(snap.file())) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[CHUNK];
            long sent = 0;
            while (sent < snap.size()) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(CHUNK, snap.size() - sent));
                if (n <= 0) {
                    break;
                }
                sha.update(buffer, 0, n);
                sent += n;
                awaitReady(out);
                out.onNext(SnapshotResponse.newBuilder().setRemainingBytes(snap.size() - sent)
                        .setBlob(ByteString.copyFrom(buffer, 0, n)).build());
            }
            out.onNext(SnapshotResponse.newBuilder().setBlob(ByteString.copyFrom(sha.digest())).build());
            out.onCompleted();
        } catch (IOException | RuntimeException | NoSuchAlgorithmException | InterruptedException e) {
            if (!out.isCancelled()) {
                out.onError(GrpcErrors.toStatus(e));
            }
        }
    }

    private static void awaitReady(ServerCallStreamObserver<?> out) throws InterruptedException {
        while (!out.isReady() && !out.isCancelled()) {
            Thread.sleep(5);
        }
    }
}
