package io.cairn.client;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.SnapshotRequest;
import io.cairn.api.etcd.SnapshotResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * One snapshot stream copied into an {@link OutputStream}, for {@link Maintenance#snapshot}.
 * etcd sends the database in chunks, then its SHA-256 (32 bytes) as a last chunk; everything
 * is written as it comes, and at the end the last 32 bytes written must be the SHA-256 of all
 * before them.
 *
 * <p>gRPC calls {@link #onNext} once at a time and asks for the next chunk only when it
 * returns, so a slow output slows the server down rather than filling memory.
 */
final class SnapshotDownload implements ClientResponseObserver<SnapshotRequest, SnapshotResponse> {
    private static final int SHA_BYTES = 32;

    private final OutputStream out;
    private final LongConsumer progress;
    private final CompletableFuture<Long> written;
    private final MessageDigest sha;
    /** The last (up to) 32 bytes written, not yet in the digest: they may be the checksum. */
    private ByteString tail = ByteString.EMPTY;
    private long total;

    SnapshotDownload(OutputStream out, LongConsumer progress, CompletableFuture<Long> written) {
        this.out = out;
        this.progress = progress;
        this.written = written;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SnapshotRequest> call) {
        // a caller that cancels the future (or a failure here) stops the stream
        written.whenComplete((size, failure) -> {
            if (failure != null) {
                call.cancel("snapshot download stopped", null);
            }
        });
    }

    @Override
    public void onNext(SnapshotResponse r) {
        if (written.isDone()) {
            return;
        }
        try {
            ByteString blob = r.getBlob();
            blob.writeTo(out);
            digest(blob);
            total += blob.size();
            progress.accept(total);
        } catch (IOException | RuntimeException e) {
            written.completeExceptionally(new CairnException(CairnException.Code.UNKNOWN,
                    "cannot write the snapshot: " + e.getMessage(), e));
        }
    }

    /** Feeds the digest every byte except the last 32 seen so far. */
    private void digest(ByteString blob) {
        ByteString all = tail.concat(blob);
        int keep = Math.min(SHA_BYTES, all.size());
        for (var buffer : all.substring(0, all.size() - keep).asReadOnlyByteBufferList()) {
            sha.update(buffer);
        }
        tail = ByteString.copyFrom(all.substring(all.size() - keep).toByteArray());
    }

    @Override
    public void onError(Throwable t) {
        written.completeExceptionally(CairnException.of(t));
    }

    @Override
    public void onCompleted() {
        if (written.isDone()) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            written.completeExceptionally(new CairnException(CairnException.Code.UNKNOWN,
                    "cannot write the snapshot: " + e.getMessage(), e));
            return;
        }
        if (tail.size() < SHA_BYTES || !MessageDigest.isEqual(sha.digest(), tail.toByteArray())) {
            written.completeExceptionally(new CairnException(CairnException.Code.DATA_LOSS,
                    "snapshot integrity check failed: its trailing SHA-256 does not match its " + (total - tail.size())
                            + " bytes", null));
            return;
        }
        written.complete(total);
    }
}
