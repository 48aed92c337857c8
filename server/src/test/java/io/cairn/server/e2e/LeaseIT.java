package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseKeepAliveRequest;
import io.cairn.api.etcd.LeaseKeepAliveResponse;
import io.cairn.api.etcd.LeaseLeasesRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Leases on real processes: expiry, keep-alive across a leader kill, and ten thousand at once. */
@ExtendWith(OwnedProcesses.class)
class LeaseIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** A put that takes this long has stalled; well past the 2 s the mass-expiry test allows. */
    private static final long PUT_DEADLINE_MS = 5_000;

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static long grant(ManagedChannel ch, long ttl) {
        return LeaseGrpc.newBlockingStub(ch).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()).getID();
    }

    private static void put(ManagedChannel ch, String key, long lease) {
        KVGrpc.newBlockingStub(ch).put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("v")).setLease(lease).build());
    }

    private static boolean exists(ManagedChannel ch, String key) {
        return KVGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(bytes(key)).build()).getCount() == 1;
    }

    /** A keep-alive stream that renews {@code leases} every {@code periodMs} and counts what comes back. */
    private static final class KeepAlive implements AutoCloseable {
        final AtomicLong renewed = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread sender;

        KeepAlive(ManagedChannel ch, List<Long> leases, long periodMs) {
            StreamObserver<LeaseKeepAliveRequest> out = LeaseGrpc.newStub(ch).leaseKeepAlive(new StreamObserver<>() {
                @Override
                public void onNext(LeaseKeepAliveResponse r) {
                    (r.getTTL() > 0 ? renewed : lost).incrementAndGet();
                }

                @Override
                public void onError(Throwable t) {
                    failure.set(t);
                }

                @Override
                public void onCompleted() {
                }
            });
            sender = new Thread(() -> {
                long sent = 0;
                while (!stop.get() && failure.get() == null) {
                    for (long id : leases) {
                        out.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
                    }
                    sent += leases.size();
                    try {
                        if (periodMs > 0) {
                            Thread.sleep(periodMs);
                        } else {
                            // flat out, but with at most one lap unanswered, so nothing piles up
                            while (renewed.get() + lost.get() < sent - leases.size() && !stop.get()) {
                                Thread.sleep(1);
                            }
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                out.onCompleted();
            });
            sender.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            sender.join(5_000);
        }
    }

    @Test
    void aShortLeaseExpiresAndTakesItsKeys() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            ManagedChannel ch = cairn.channel();
            try {
                long lease = grant(ch, 2);
                put(ch, "ephemeral/a", lease);
                put(ch, "ephemeral/b", lease);
                long granted = System.nanoTime();
                while (exists(ch, "ephemeral/a")) {
                    // well past the 3.5 s bound asserted below: a lease that never expires fails here
                    assertThat(System.nanoTime() - granted).as("ms until the 2 s lease expired")
                            .isLessThan(TimeUnit.SECONDS.toNanos(10));
                    Thread.sleep(20);
                }
                long delayMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - granted);
                System.out.println("expiry: a 2 s lease's key was gone " + delayMs + " ms after the grant");
                assertThat(delayMs).isBetween(1900L, 3500L);
                assertThat(exists(ch, "ephemeral/b")).isFalse();
                assertThat(LeaseGrpc.newBlockingStub(ch).leaseLeases(LeaseLeasesRequest.getDefaultInstance())
                        .getLeasesCount()).isZero();
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void keepAlivesOutliveALeaderKillAndAbandonedLeasesStillExpire() throws Exception {
        try (CairnCluster cluster = CairnCluster.start(dir, 3)) {
            CairnProcess leader = cluster.awaitLeader(5_000);
            CairnProcess follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
            ManagedChannel ch = follower.channel();
            try {
                long kept = grant(ch, 4);
                long abandoned = grant(ch, 4);
                put(ch, "kept", kept);
                put(ch, "abandoned", abandoned);
                try (KeepAlive keepAlive = new KeepAlive(ch, List.of(kept), 1000)) {
                    Thread.sleep(1500);
                    leader.kill();
                    long killed = System.nanoTime();
                    cluster.awaitLeader(10_000);
                    boolean abandonedGone = false;
                    long goneAfterMs = -1;
                    while (System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(12)) {
                        if (!abandonedGone && !exists(ch, "abandoned")) {
                            abandonedGone = true;
                            goneAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                        }
                        assertThat(exists(ch, "kept")).as("a kept-alive lease never expires").isTrue();
                        Thread.sleep(200);
                    }
                    System.out.println("failover: the abandoned 4 s lease expired " + goneAfterMs + " ms after the leader was killed");
                    assertThat(abandonedGone).isTrue();
                    // TTL + an election timeout (the new leader's grace) + the election itself
                    assertThat(goneAfterMs).isLessThan(4000 + 1000 + 5000);
                    assertThat(keepAlive.failure.get()).isNull();
                    assertThat(keepAlive.lost.get()).isZero();
                    assertThat(keepAlive.renewed.get()).isGreaterThan(8);
                }
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void tenThousandLeasesKeptAliveThenExpiringAtOnceDoNotStallWrites() throws Exception {
        int count = 10_000;
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            ManagedChannel ch = cairn.channel();
            try {
                // 15 s: granting ten thousand can take most of 8 s on a busy machine, and a lease
                // whose time ran out before its first keep-alive is not renewed (as in etcd)
                List<Long> leases = grantMany(ch, count, 15);
                List<KeepAlive> streams = new ArrayList<>();
                long start = System.nanoTime();
                for (int s = 0; s < 4; s++) {
                    streams.add(new KeepAlive(ch, leases.subList(s * count / 4, (s + 1) * count / 4), 1000));
                }
                attachKeys(ch, leases);
                Thread.sleep(16_000); // longer than the TTL: only keep-alives hold them
                long renewed = 0;
                for (KeepAlive k : streams) {
                    k.close();
                    renewed += k.renewed.get();
                    assertThat(k.lost.get()).isZero();
                    assertThat(k.failure.get()).isNull();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("keep-alive: %d renewals in %.1f s over 4 streams, every lease each second%n", renewed, seconds);

                // as fast as four streams can go, for a few seconds: what one node sustains
                List<KeepAlive> burst = new ArrayList<>();
                long burstStart = System.nanoTime();
                for (int s = 0; s < 4; s++) {
                    burst.add(new KeepAlive(ch, leases.subList(s * count / 4, (s + 1) * count / 4), 0));
                }
                Thread.sleep(3000);
                long burstRenewed = 0;
                for (KeepAlive k : burst) {
                    k.close();
                    burstRenewed += k.renewed.get();
                    assertThat(k.lost.get()).isZero();
                }
                System.out.printf("keep-alive: %.0f renewals/s sustained over 4 streams%n",
                        burstRenewed / ((System.nanoTime() - burstStart) / 1e9));
                assertThat(LeaseGrpc.newBlockingStub(ch).leaseLeases(LeaseLeasesRequest.getDefaultInstance())
                        .getLeasesCount()).isEqualTo(count);

                // now they all expire together, while a writer keeps writing. Each put has a
                // deadline, so a put that hangs fails the test rather than never being measured.
                AtomicLong worstMs = new AtomicLong();
                AtomicLong written = new AtomicLong();
                AtomicReference<Throwable> writeFailure = new AtomicReference<>();
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch done = new CountDownLatch(1);
                Thread writer = new Thread(() -> {
                    KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            long t0 = System.nanoTime();
                            kv.withDeadlineAfter(PUT_DEADLINE_MS, TimeUnit.MILLISECONDS)
                                    .put(PutRequest.newBuilder().setKey(bytes("steady/" + i)).setValue(bytes("v")).build());
                            worstMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Math::max);
                            written.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        writeFailure.set(t); // the test fails on it below; a dead writer must not look like a quiet one
                    } finally {
                        done.countDown();
                    }
                });
                writer.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                long left;
                do {
                    Thread.sleep(500);
                    left = LeaseGrpc.newBlockingStub(ch).leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesCount();
                } while (left > 0 && System.nanoTime() < deadline);
                stop.set(true);
                boolean writerEnded = done.await(2 * PUT_DEADLINE_MS, TimeUnit.MILLISECONDS);
                System.out.println("mass expiry: all " + count + " leases gone; " + written.get()
                        + " concurrent puts, the slowest " + worstMs.get() + " ms");
                assertThat(writerEnded).as("the writer ended (its last put returned)").isTrue();
                assertThat(writeFailure.get()).as("a concurrent put failed or missed its deadline").isNull();
                assertThat(written.get()).as("puts during the mass expiry").isPositive();
                assertThat(left).isZero();
                assertThat(worstMs.get()).as("writes never stall long").isLessThan(2000);
                assertThat(KVGrpc.newBlockingStub(ch).range(RangeRequest.newBuilder().setKey(bytes("leased/"))
                        .setRangeEnd(bytes("leased0")).setCountOnly(true).build()).getCount()).isZero();
            } finally {
                ch.shutdownNow();
            }
        }
    }

    /** Grants {@code count} leases, pipelined over one channel. */
    private static List<Long> grantMany(ManagedChannel ch, int count, long ttl) throws Exception {
        LeaseGrpc.LeaseFutureStub leases = LeaseGrpc.newFutureStub(ch);
        List<com.google.common.util.concurrent.ListenableFuture<io.cairn.api.etcd.LeaseGrantResponse>> grants = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            grants.add(leases.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()));
        }
        List<Long> ids = new ArrayList<>();
        for (var g : grants) {
            ids.add(g.get().getID());
        }
        return ids;
    }

    /** Puts one key on each lease, pipelined. */
    private static void attachKeys(ManagedChannel ch, List<Long> leases) throws Exception {
        KVGrpc.KVFutureStub kv = KVGrpc.newFutureStub(ch);
        List<com.google.common.util.concurrent.ListenableFuture<io.cairn.api.etcd.PutResponse>> puts = new ArrayList<>();
        for (int i = 0; i < leases.size(); i++) {
            puts.add(kv.put(PutRequest.newBuilder().setKey(bytes("leased/" + i)).setValue(bytes("v"))
                    .setLease(leases.get(i)).build()));
        }
        for (var p : puts) {
            p.get();
        }
    }
}
