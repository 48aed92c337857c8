package io.cairn.server.robust;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrantResponse;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseKeepAliveRequest;
import io.cairn.api.etcd.LeaseKeepAliveResponse;
import io.cairn.api.etcd.PutRequest;
import io.cairn.server.testing.CairnCluster;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client of leases: it grants a short lease, puts one key on it, renews it a few times and then
 * leaves it to expire, recording what each answer promised for {@link LeaseExpiry}.
 */
final class LeaseClient {
    static final String PREFIX = "leased/";
    private static final long TTL_SECONDS = 2;
    private static final long DEADLINE_MS = 2000;

    private LeaseClient() {
    }

    static void run(int process, CairnCluster cluster, List<LeaseExpiry.Lease> leases, AtomicBoolean stop) {
        Random random = new Random(process);
        int made = 0;
        try (MemberChannel channel = new MemberChannel(cluster, process)) {
            while (!stop.get()) {
                String key = PREFIX + "p" + process + "-" + made++;
                long sent = System.nanoTime();
                LeaseGrantResponse grant;
                try {
                    grant = LeaseGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                            .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(TTL_SECONDS).build());
                } catch (RuntimeException e) {
                    channel.next(); // no key was put on whatever it granted
                    continue;
                }
                long answered = System.nanoTime();
                boolean settled = true;
                try {
                    KVGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                            .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(key))
                                    .setLease(grant.getID()).build());
                    for (int n = random.nextInt(3); n > 0 && !stop.get(); n--) {
                        Thread.sleep(500 + random.nextInt(400));
                        long renewSent = System.nanoTime();
                        long ttl = keepAliveOnce(channel, grant.getID());
                        if (ttl <= 0) {
                            break; // gone: nothing more was promised
                        }
                        sent = renewSent;
                        answered = System.nanoTime();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    settled = false;
                    channel.next();
                }
                leases.add(new LeaseExpiry.Lease(process, key, grant.getTTL(), sent, answered, settled));
                sleep(100 + random.nextInt(200));
            }
        }
    }

    /** One renewal on a stream of its own: the TTL answered (0: the lease is gone). */
    private static long keepAliveOnce(MemberChannel channel, long lease) {
        CompletableFuture<LeaseKeepAliveResponse> answer = new CompletableFuture<>();
        StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel.get())
                .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS).leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                        answer.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("keep-alive stream ended unanswered"));
                    }
                });
        requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(lease).build());
        try {
            return answer.get(DEADLINE_MS + 500, TimeUnit.MILLISECONDS).getTTL();
        } catch (Exception e) {
            throw new IllegalStateException("keep-alive of " + lease + " unanswered", e);
        } finally {
            requests.onCompleted();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
