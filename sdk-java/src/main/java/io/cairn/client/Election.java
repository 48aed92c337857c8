package io.cairn.client;

import io.cairn.api.etcd.CampaignRequest;
import io.cairn.api.etcd.ElectionGrpc;
import io.cairn.api.etcd.LeaderKey;
import io.cairn.api.etcd.LeaderRequest;
import io.cairn.api.etcd.LeaderResponse;
import io.cairn.api.etcd.ProclaimRequest;
import io.cairn.api.etcd.ResignRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Leader election under a name: campaigners wait in line, the first leads with the value it
 * proclaims, and leadership passes on when the leader resigns or its lease ends. Campaign
 * through a {@link Session}, which keeps the lease alive and says when it is lost.
 */
public final class Election {
    private static final Duration FOREVER = Duration.ofDays(3650);

    private final Calls calls;
    private final Set<Observer> observers = ConcurrentHashMap.newKeySet();

    Election(Calls calls) {
        this.calls = calls;
    }

    /**
     * A won campaign: the key that stands for the leadership, whose create revision fences
     * writes as a lock's does.
     */
    public record Leadership(Bytes name, Bytes key, long revision, long lease) {
        LeaderKey wire() {
            return LeaderKey.newBuilder().setName(name.unwrap()).setKey(key.unwrap()).setRev(revision).setLease(lease).build();
        }
    }

    /** Waits until this campaigner leads, with the session's lease. */
    public CompletableFuture<Leadership> campaign(String name, Session session, String value) {
        return campaign(name, session.leaseId(), value);
    }

    /** Waits until this campaigner leads; answers the key that stands for its leadership. */
    public CompletableFuture<Leadership> campaign(String name, long leaseId, String value) {
        CampaignRequest r = CampaignRequest.newBuilder().setName(Keys.bytes(name)).setLease(leaseId)
                .setValue(Keys.bytes(value)).build();
        return calls.unary(ElectionGrpc.getCampaignMethod(), r, true, FOREVER).thenApply(c -> {
            LeaderKey k = c.getLeader();
            return new Leadership(Bytes.wrap(k.getName()), Bytes.wrap(k.getKey()), k.getRev(), k.getLease());
        });
    }

    /** Fails with "election: not leader" when leadership was lost. */
    public CompletableFuture<Header> proclaim(Leadership leader, String value) {
        return calls.unary(ElectionGrpc.getProclaimMethod(),
                ProclaimRequest.newBuilder().setLeader(leader.wire()).setValue(Keys.bytes(value)).build(), false)
                .thenApply(r -> Wire.header(r.getHeader()));
    }

    /** The leader's key and value; fails with "election: no leader" when there is none. */
    public CompletableFuture<KeyValue> leader(String name) {
        return calls.unary(ElectionGrpc.getLeaderMethod(), LeaderRequest.newBuilder().setName(Keys.bytes(name)).build(), true)
                .thenApply(r -> Wire.kv(r.getKv()));
    }

    /** Gives leadership up; the next campaigner in line leads. */
    public CompletableFuture<Header> resign(Leadership leader) {
        return calls.unary(ElectionGrpc.getResignMethod(), ResignRequest.newBuilder().setLeader(leader.wire()).build(), true)
                .thenApply(r -> Wire.header(r.getHeader()));
    }

    /** Tells {@code listener} the leader and each value proclaimed, until closed; reconnects by itself. */
    public Observer observe(String name, Consumer<KeyValue> listener) {
        Observer o = new Observer(name, listener);
        observers.add(o);
        o.open();
        return o;
    }

    void closeAll() {
        observers.forEach(Observer::close);
    }

    /** One observation; close it to stop. */
    public final class Observer implements AutoCloseable {
        private final String name;
        private final Consumer<KeyValue> listener;
        private ClientCallStreamObserver<LeaderRequest> call;
        private KeyValue last;
        private boolean closed;

        private Observer(String name, Consumer<KeyValue> listener) {
            this.name = name;
            this.listener = listener;
        }

        private void open() {
            calls.ensureToken().whenComplete((ok, failure) -> {
                if (failure != null) {
                    later();
                } else {
                    start();
                }
            });
        }

        private synchronized void start() {
            if (closed) {
                return;
            }
            ElectionGrpc.newStub(calls.channel()).observe(LeaderRequest.newBuilder().setName(Keys.bytes(name)).build(),
                    new ClientResponseObserver<LeaderRequest, LeaderResponse>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<LeaderRequest> requests) {
                            call = requests;
                        }

                        @Override
                        public void onNext(LeaderResponse r) {
                            tell(Wire.kv(r.getKv()));
                        }

                        @Override
                        public void onError(Throwable t) {
                            later();
                        }

                        @Override
                        public void onCompleted() {
                            later();
                        }
                    });
        }

        /**
         * A reconnection starts with the current leader again: what was told already is not
         * told twice. (A new leader's key may be older than the last value of the previous one.)
         */
        private synchronized void tell(KeyValue kv) {
            boolean seen = last != null && last.key().equals(kv.key()) && kv.modRevision() <= last.modRevision();
            if (!closed && !seen) {
                last = kv;
                listener.accept(kv);
            }
        }

        private synchronized void later() {
            if (!closed) {
                calls.timer().schedule(this::open, 200, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            observers.remove(this);
            if (call != null) {
                call.cancel("closed by the client", null);
            }
        }
    }
}
