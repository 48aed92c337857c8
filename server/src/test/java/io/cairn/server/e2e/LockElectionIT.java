package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.CampaignRequest;
import io.cairn.api.etcd.CampaignResponse;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.ElectionGrpc;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaderKey;
import io.cairn.api.etcd.LeaderRequest;
import io.cairn.api.etcd.LeaderResponse;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.LockGrpc;
import io.cairn.api.etcd.LockRequest;
import io.cairn.api.etcd.LockResponse;
import io.cairn.api.etcd.ProclaimRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.ResignRequest;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.UnlockRequest;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** etcd's Lock and Election services, and etcdctl lock and elect, against one member. */
@ExtendWith(OwnedProcesses.class)
class LockElectionIT {
    @TempDir
    Path dir;

    private static final long CALL_SECONDS = 30;

    private CairnProcess cairn;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        cairn = new CairnProcess(dir.resolve("data")).start();
        channel = cairn.channel();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        cairn.close();
    }

    @Test
    void theLockGoesInTurnAndItsRevisionFencesOffAStaleHolder() throws Exception {
        long a = lease(30);
        long b = lease(30);
        LockResponse first = locks().lock(lock("res", a));
        long token = createRevision(first.getKey());
        assertThat(token).isPositive();
        CompletableFuture<LockResponse> second = CompletableFuture.supplyAsync(
                () -> locks().lock(lock("res", b)));
        Thread.sleep(500);
        assertThat(second).isNotDone();
        // a guarded write by the holder goes through
        assertThat(guardedPut(first.getKey(), token, "by-a")).isTrue();

        locks().unlock(UnlockRequest.newBuilder().setKey(first.getKey()).build());
        LockResponse taken = second.get(10, TimeUnit.SECONDS);
        assertThat(taken.getKey().toStringUtf8()).isEqualTo("res/" + Long.toHexString(b));
        // the first holder, unaware it lost the lock, is fenced off by its old token
        assertThat(guardedPut(first.getKey(), token, "stale")).isFalse();
        assertThat(guardedPut(taken.getKey(), createRevision(taken.getKey()), "by-b")).isTrue();
        assertThat(value("guarded")).isEqualTo("by-b");
    }

    @Test
    void aLockIsFreedWhenItsLeaseEndsAndAGivenUpWaitLeavesNoKey() throws Exception {
        long a = lease(30);
        long b = lease(30);
        long c = lease(30);
        locks().lock(lock("res", a));
        assertThatThrownBy(() -> LockGrpc.newBlockingStub(channel).withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                .lock(lock("res", c))).isInstanceOf(StatusRuntimeException.class).hasMessageContaining("DEADLINE_EXCEEDED");
        CompletableFuture<LockResponse> waiting = CompletableFuture.supplyAsync(
                () -> locks().lock(lock("res", b)));
        Thread.sleep(300);
        assertThat(keys("res/")).containsExactly("res/" + Long.toHexString(a), "res/" + Long.toHexString(b));
        leases().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(a).build());
        assertThat(waiting.get(10, TimeUnit.SECONDS).getKey().toStringUtf8()).isEqualTo("res/" + Long.toHexString(b));
        assertThatThrownBy(() -> LockGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .lock(lock("other", 12345))).hasMessageContaining("etcdserver: requested lease not found");
    }

    @Test
    void aWaiterWhoseLeaseEndsIsNotGrantedTheLock() throws Exception {
        long holder = lease(30);
        long waiter = lease(2);
        LockResponse held = locks().lock(lock("res", holder));
        CompletableFuture<LockResponse> waiting = CompletableFuture.supplyAsync(() -> locks().lock(lock("res", waiter)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (keys("res/").size() != 2 && System.nanoTime() < deadline) {
            Thread.sleep(50); // the waiter in line
        }
        while (keys("res/").size() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(100); // the waiter's key goes with its lease
        }
        assertThat(keys("res/")).containsExactly(held.getKey().toStringUtf8());
        locks().unlock(UnlockRequest.newBuilder().setKey(held.getKey()).build());
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasMessageContaining("mutex: session is expired");
    }

    @Test
    void leadershipPassesWhenTheLeadersLeaseEndsAndObserversSeeEachValue() throws Exception {
        long a = lease(30);
        long b = lease(30);
        ByteString name = ByteString.copyFromUtf8("svc");
        BlockingQueue<LeaderResponse> seen = new LinkedBlockingQueue<>();
        ElectionGrpc.newStub(channel).observe(LeaderRequest.newBuilder().setName(name).build(), collect(seen));

        CampaignResponse leaderA = elections().campaign(CampaignRequest.newBuilder()
                .setName(name).setLease(a).setValue(ByteString.copyFromUtf8("a1")).build());
        assertThat(next(seen)).isEqualTo("a1");
        CompletableFuture<CampaignResponse> campaignB = CompletableFuture.supplyAsync(() -> elections()
                .campaign(CampaignRequest.newBuilder().setName(name).setLease(b)
                        .setValue(ByteString.copyFromUtf8("b1")).build()));
        elections().proclaim(ProclaimRequest.newBuilder().setLeader(leaderA.getLeader())
                .setValue(ByteString.copyFromUtf8("a2")).build());
        assertThat(next(seen)).isEqualTo("a2");
        assertThat(elections().leader(LeaderRequest.newBuilder().setName(name).build())
                .getKv().getValue().toStringUtf8()).isEqualTo("a2");
        assertThat(campaignB).isNotDone();
        LeaderKey forged = leaderA.getLeader().toBuilder().setRev(leaderA.getLeader().getRev() + 1000).build();
        assertThatThrownBy(() -> elections().proclaim(ProclaimRequest.newBuilder()
                .setLeader(forged).setValue(ByteString.copyFromUtf8("x")).build())).hasMessageContaining("election: not leader");

        // the leader's session dies: B leads, and observers learn it
        leases().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(a).build());
        CampaignResponse leaderB = campaignB.get(10, TimeUnit.SECONDS);
        assertThat(next(seen)).isEqualTo("b1");
        elections().resign(ResignRequest.newBuilder().setLeader(leaderB.getLeader()).build());
        assertThatThrownBy(() -> elections().leader(LeaderRequest.newBuilder().setName(name).build()))
                .hasMessageContaining("election: no leader");
    }

    /**
     * An observer that starts just as the first candidate campaigns is fed from the apply thread
     * while it sets up its watch: neither may wait on the other, or every later write hangs.
     */
    @Test
    void observersStartingAsCandidatesCampaignNeverStallTheMember() throws Exception {
        long lease = lease(60);
        for (int round = 0; round < 200; round++) {
            ByteString name = ByteString.copyFromUtf8("race-" + round);
            BlockingQueue<LeaderResponse> seen = new LinkedBlockingQueue<>();
            ElectionGrpc.newStub(channel).observe(LeaderRequest.newBuilder().setName(name).build(), collect(seen));
            for (int extra = 0; extra < 2; extra++) {
                ElectionGrpc.newStub(channel).observe(LeaderRequest.newBuilder().setName(name).build(), collect(new LinkedBlockingQueue<>()));
            }
            ByteString value = ByteString.copyFromUtf8("v" + round);
            CampaignResponse leader = elections().campaign(CampaignRequest.newBuilder()
                    .setName(name).setLease(lease).setValue(value).build());
            assertThat(next(seen)).isEqualTo("v" + round);
            elections().resign(ResignRequest.newBuilder()
                    .setLeader(leader.getLeader()).build());
        }
    }

    /**
     * The backgrounded etcdctl stays the shell's child and is waited for: it resigns when told to
     * stop while its member still runs. Detached, it outlived the test, retrying its resignation
     * against a member that was gone.
     */
    @Test
    void etcdctlLockAndElectWork() throws Exception {
        String endpoint = cairn.endpoint();
        assertThat(Etcdctl.run(endpoint, "etcdctl lock mylock echo held").output()).isEqualTo("held\n");
        Etcdctl.Result both = Etcdctl.run(endpoint,
                "timeout -k 1 2 etcdctl lock shared > first.out & sleep 0.7; timeout 5 etcdctl lock shared echo second; wait; cat first.out",
                dir);
        assertThat(both.output()).matches("second\nshared/[0-9a-f]+\n\n?");
        Etcdctl.Result elect = Etcdctl.run(endpoint,
                "timeout -k 1 2 etcdctl elect svc alice > leader.out & sleep 0.7; timeout 1 etcdctl elect -l svc; wait; cat leader.out", dir);
        assertThat(elect.output()).matches("svc/[0-9a-f]+\nalice\n(\n)?svc/[0-9a-f]+\nalice\n");
    }

    /** Every call has a deadline: a member that stops answering fails the test instead of hanging it. */
    private ElectionGrpc.ElectionBlockingStub elections() {
        return ElectionGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private LockGrpc.LockBlockingStub locks() {
        return LockGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private LeaseGrpc.LeaseBlockingStub leases() {
        return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private KVGrpc.KVBlockingStub kv() {
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private long lease(long ttl) {
        return leases().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()).getID();
    }

    private static LockRequest lock(String name, long lease) {
        return LockRequest.newBuilder().setName(ByteString.copyFromUtf8(name)).setLease(lease).build();
    }

    private long createRevision(ByteString key) {
        return kv().range(RangeRequest.newBuilder().setKey(key).build()).getKvs(0).getCreateRevision();
    }

    /** A write that goes through only while {@code lockKey} still has create revision {@code token}. */
    private boolean guardedPut(ByteString lockKey, long token, String value) {
        return kv().txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(lockKey).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(token))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("guarded")).setValue(ByteString.copyFromUtf8(value))))
                .build()).getSucceeded();
    }

    private String value(String key) {
        return kv().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build())
                .getKvs(0).getValue().toStringUtf8();
    }

    private java.util.List<String> keys(String prefix) {
        return kv().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix))
                .setRangeEnd(ByteString.copyFromUtf8(prefix.substring(0, prefix.length() - 1) + "0")).setKeysOnly(true)
                .setSortTarget(RangeRequest.SortTarget.CREATE).build())
                .getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
    }

    private static StreamObserver<LeaderResponse> collect(BlockingQueue<LeaderResponse> seen) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaderResponse value) {
                seen.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static String next(BlockingQueue<LeaderResponse> seen) throws InterruptedException {
        LeaderResponse r = seen.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("an observed leader").isNotNull();
        return r.getKv().getValue().toStringUtf8();
    }
}
