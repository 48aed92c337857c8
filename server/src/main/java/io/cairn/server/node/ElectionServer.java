package io.cairn.server.node;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.CampaignRequest;
import io.cairn.api.etcd.CampaignResponse;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.LeaderKey;
import io.cairn.api.etcd.LeaderRequest;
import io.cairn.api.etcd.LeaderResponse;
import io.cairn.api.etcd.ProclaimRequest;
import io.cairn.api.etcd.ProclaimResponse;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.ResignRequest;
import io.cairn.api.etcd.ResignResponse;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.KeyRange;
import io.cairn.server.watch.WatchStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * etcd's Election service, transport-free: campaigners queue under a name; the oldest leads,
 * with the value it proclaims; observers see each leader and value in order.
 */
public final class ElectionServer {
    private final KeyQueue queue;
    private final KvServer kv;
    private final Headers headers;

    ElectionServer(KeyQueue queue, KvServer kv, Headers headers) {
        this.queue = queue;
        this.kv = kv;
        this.headers = headers;
    }

    /** Waits to lead. Campaigning again with the same lease keeps the place and proclaims the value. */
    public CompletableFuture<CampaignResponse> campaign(String user, CampaignRequest r, CancelSignal cancel) {
        return queue.join(user, r.getName(), r.getLease(), r.getValue()).thenCompose(place -> {
            LeaderKey leader = LeaderKey.newBuilder().setName(r.getName()).setKey(place.key())
                    .setRev(place.revision()).setLease(r.getLease()).build();
            CompletableFuture<?> proclaimed = place.value().equals(r.getValue()) ? CompletableFuture.completedFuture(null)
                    : proclaim(user, ProclaimRequest.newBuilder().setLeader(leader).setValue(r.getValue()).build());
            return proclaimed.thenCompose(ignored -> queue.awaitTurn(user, r.getName(), place.revision(), cancel))
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            queue.leave(user, place.key(), place.revision());
                        }
                    })
                    .thenApply(ignored -> CampaignResponse.newBuilder()
                            .setHeader(headers.complete(ResponseHeader.getDefaultInstance())).setLeader(leader).build());
        });
    }

    /** Posts a new value, if the caller still leads: else etcd's "election: not leader". */
    public CompletableFuture<ProclaimResponse> proclaim(String user, ProclaimRequest r) {
        LeaderKey leader = requireLeader(r.hasLeader(), r.getLeader());
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(leader.getKey()).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(leader.getRev()))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(leader.getKey())
                        .setValue(r.getValue()).setLease(leader.getLease())))
                .build();
        return kv.txn(user, txn).thenApply(t -> {
            if (!t.getSucceeded()) {
                throw ServerError.ELECTION_NOT_LEADER.exception();
            }
            return ProclaimResponse.newBuilder().setHeader(t.getHeader()).build();
        });
    }

    public CompletableFuture<LeaderResponse> leader(String user, LeaderRequest r) {
        return queue.first(user, r.getName()).thenApply(kv -> {
            if (kv == null) {
                throw ServerError.ELECTION_NO_LEADER.exception();
            }
            return LeaderResponse.newBuilder().setHeader(headers.complete(ResponseHeader.getDefaultInstance()))
                    .setKv(kv).build();
        });
    }

    public CompletableFuture<ResignResponse> resign(String user, ResignRequest r) {
        LeaderKey leader = requireLeader(r.hasLeader(), r.getLeader());
        return queue.leave(user, leader.getKey(), leader.getRev()).thenApply(ignored ->
                ResignResponse.newBuilder().setHeader(headers.complete(ResponseHeader.getDefaultInstance())).build());
    }

    private static LeaderKey requireLeader(boolean given, LeaderKey leader) {
        if (!given || leader.getKey().isEmpty()) {
            throw ServerError.ELECTION_MISSING_LEADER.exception();
        }
        return leader;
    }

    /**
     * Streams the leader and each value it proclaims, then the next leader, until the answered
     * observation is stopped.
     */
    public Observation observe(String user, LeaderRequest r, Consumer<LeaderResponse> out, Consumer<Throwable> failed) {
        Observation o = new Observation(user, r.getName(), out, failed);
        o.next();
        return o;
    }

    /** One observer: the current leader's key is watched until it goes, then the next one's. */
    public final class Observation {
        private final String user;
        private final ByteString name;
        private final Consumer<LeaderResponse> out;
        private final Consumer<Throwable> failed;
        private WatchStream watching;
        private boolean stopped;

        private Observation(String user, ByteString name, Consumer<LeaderResponse> out, Consumer<Throwable> failed) {
            this.user = user;
            this.name = name;
            this.out = out;
            this.failed = failed;
        }

        private void next() {
            queue.head(user, name).whenComplete((head, failure) -> {
                if (failure != null) {
                    fail(failure);
                } else if (head.first() == null) {
                    awaitCandidate(head.revision() + 1);
                } else {
                    follow(head.first());
                }
            });
        }

        /**
         * No leader yet at {@code from - 1}: the first key created under the name will lead,
         * watched from the revision after the read, so a candidate that came just after it is seen.
         */
        private synchronized void awaitCandidate(long from) {
            if (stopped) {
                return;
            }
            CompletableFuture<Void> ended = new CompletableFuture<>();
            ended.whenComplete((ok, failure) -> fail(failure));
            ByteString prefix = KeyQueue.prefix(name);
            watching = queue.watch(WatchCreateRequest.newBuilder().setKey(prefix).setRangeEnd(KeyRange.prefixEnd(prefix))
                    .setStartRevision(from).addFilters(WatchCreateRequest.FilterType.NODELETE).build(),
                    event -> restart(), ended);
        }

        private synchronized void follow(KeyValue leader) {
            if (stopped) {
                return;
            }
            out.accept(response(leader));
            CompletableFuture<Void> ended = new CompletableFuture<>();
            ended.whenComplete((ok, failure) -> fail(failure));
            watching = queue.watch(WatchCreateRequest.newBuilder().setKey(leader.getKey())
                    .setStartRevision(leader.getModRevision() + 1).build(), event -> {
                        if (event.getType() == Event.EventType.DELETE) {
                            restart();
                        } else {
                            emit(event.getKv());
                        }
                    }, ended);
        }

        private synchronized void emit(KeyValue kv) {
            if (!stopped) {
                out.accept(response(kv));
            }
        }

        private synchronized void restart() {
            if (watching != null) {
                WatchStream old = watching;
                watching = null;
                CompletableFuture.runAsync(old::close);
                CompletableFuture.runAsync(this::next);
            }
        }

        private LeaderResponse response(KeyValue kv) {
            return LeaderResponse.newBuilder().setHeader(headers.complete(ResponseHeader.newBuilder()
                    .setRevision(kv.getModRevision()).build())).setKv(kv).build();
        }

        private void fail(Throwable failure) {
            if (failure != null && !stopped) {
                stop();
                failed.accept(failure);
            }
        }

        public synchronized void stop() {
            stopped = true;
            if (watching != null) {
                WatchStream old = watching;
                watching = null;
                CompletableFuture.runAsync(old::close);
            }
        }
    }
}
