package io.cairn.server.node;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.storage.KeyRange;
import io.cairn.server.watch.WatchHub;
import io.cairn.server.watch.WatchStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue under a name that locks and elections are made of, as etcd's concurrency recipes
 * build it: each contender owns the key {@code name/<lease in hex>}, attached to its lease, and
 * contenders are served in the order their keys were created. Every read and write is made as
 * the calling user, so the caller's key permissions apply.
 */
final class KeyQueue {
    private static final Logger log = LoggerFactory.getLogger(KeyQueue.class);

    private final KvServer kv;
    private final WatchHub watches;
    private final Executor callbacks;

    /** @param callbacks where watch events are handed to the waiters; never the apply thread */
    KeyQueue(KvServer kv, WatchHub watches, Executor callbacks) {
        this.kv = kv;
        this.watches = watches;
        this.callbacks = callbacks;
    }

    /** What joining gave: the own key, its create revision, and its current value. */
    record Place(ByteString key, long revision, ByteString value) {
    }

    static ByteString prefix(ByteString name) {
        return name.concat(ByteString.copyFromUtf8("/"));
    }

    static ByteString keyOf(ByteString name, long lease) {
        return prefix(name).concat(ByteString.copyFromUtf8(Long.toHexString(lease)));
    }

    /** Creates the caller's key with {@code value} unless its lease already has one there. */
    CompletableFuture<Place> join(String user, ByteString name, long lease, ByteString value) {
        ByteString key = keyOf(name, lease);
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value).setLease(lease)))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
                .build();
        return kv.txn(user, txn).thenApply(r -> placeOf(key, value, r));
    }

    private static Place placeOf(ByteString key, ByteString value, TxnResponse r) {
        if (r.getSucceeded()) {
            return new Place(key, r.getHeader().getRevision(), value);
        }
        KeyValue existing = r.getResponses(0).getResponseRange().getKvs(0);
        return new Place(key, existing.getCreateRevision(), existing.getValue());
    }

    /** Completes once no key under {@code name} was created before {@code revision}. */
    CompletableFuture<Void> awaitTurn(String user, ByteString name, long revision, CancelSignal cancel) {
        ByteString prefix = prefix(name);
        RangeRequest older = RangeRequest.newBuilder().setKey(prefix).setRangeEnd(KeyRange.prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.DESCEND)
                .setLimit(1).setMaxCreateRevision(revision - 1).build();
        return kv.range(user, older).thenCompose(r -> {
            if (r.getKvsCount() == 0) {
                return CompletableFuture.completedFuture(null);
            }
            return awaitDelete(r.getKvs(0).getKey(), r.getHeader().getRevision(), cancel)
                    .thenCompose(ignored -> awaitTurn(user, name, revision, cancel));
        });
    }

    /** The oldest key under {@code name}, or null. */
    CompletableFuture<KeyValue> first(String user, ByteString name) {
        return head(user, name).thenApply(Head::first);
    }

    /** The first key in line (null if none) and the revision that answer holds at. */
    record Head(KeyValue first, long revision) {
    }

    CompletableFuture<Head> head(String user, ByteString name) {
        ByteString prefix = prefix(name);
        return kv.range(user, RangeRequest.newBuilder().setKey(prefix).setRangeEnd(KeyRange.prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.ASCEND)
                .setLimit(1).build()).thenApply(r -> new Head(r.getKvsCount() == 0 ? null : r.getKvs(0),
                r.getHeader().getRevision()));
    }

    /** Deletes {@code key} if its create revision is still {@code revision}; answers whether it did. */
    CompletableFuture<Boolean> leave(String user, ByteString key, long revision) {
        return kv.txn(user, TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(revision))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)))
                .build()).thenApply(TxnResponse::getSucceeded);
    }

    /** Completes when {@code key} is deleted after {@code revision}. */
    CompletableFuture<Void> awaitDelete(ByteString key, long revision, CancelSignal cancel) {
        CompletableFuture<Void> deleted = new CompletableFuture<>();
        WatchStream stream = watch(WatchCreateRequest.newBuilder().setKey(key).setStartRevision(revision + 1)
                .addFilters(WatchCreateRequest.FilterType.NOPUT).build(), event -> deleted.complete(null), deleted);
        cancel.onCancel(() -> deleted.cancel(false));
        return deleted.whenComplete((ok, failure) -> stream.close());
    }

    /**
     * Feeds each event of a watch to {@code events}, in order; a cancelled watch fails
     * {@code ended}. Both run on the callback executor: the hub sends from the apply thread with
     * its own locks held, and the waiters take locks of their own that are held while they
     * open watches, so calling them there could leave each side waiting for the other.
     */
    WatchStream watch(WatchCreateRequest create, Consumer<Event> events, CompletableFuture<?> ended) {
        WatchStream stream = watches.open(new WatchStream.Transport() {
            /** The last response handed on: the next one runs after it. */
            private CompletableFuture<Void> handedOn = CompletableFuture.completedFuture(null);

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public synchronized void send(WatchResponse response) {
                try {
                    handedOn = handedOn.thenRunAsync(() -> deliver(response), callbacks);
                } catch (RejectedExecutionException stopping) {
                    // the member is closing: nobody waits any more
                }
            }

            private void deliver(WatchResponse response) {
                try {
                    if (response.getCanceled()) {
                        ended.completeExceptionally(new IllegalStateException("watch cancelled: " + response.getCancelReason()));
                        return;
                    }
                    response.getEventsList().forEach(events);
                } catch (RuntimeException e) {
                    // a failed step must not stop the ones after it
                    log.warn("A lock or election waiter failed on a watch event: {}", e.toString());
                }
            }
        }, r -> null);
        stream.handle(WatchRequest.newBuilder().setCreateRequest(create).build());
        return stream;
    }
}
