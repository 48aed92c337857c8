package io.cairn.server.robust;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.LockGrpc;
import io.cairn.api.etcd.LockRequest;
import io.cairn.api.etcd.LockResponse;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.UnlockRequest;
import io.cairn.server.testing.CairnCluster;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client of etcd's Lock: it takes the lock with a lease of its own, then writes the guarded key
 * a few times, each in a txn that holds only while its lock key (its fencing token, the key's
 * create revision) still exists, and unlocks. Now and then it stalls past its lease's TTL before
 * writing, as a long GC pause would: the write must then be refused, unless the lease still runs.
 * Each fenced write goes to {@link LockFencing}; a Lock answered with a key that was already gone
 * at the revision of the answer is a broken promise, kept in {@code anomalies}.
 */
final class LockClient {
    static final String NAME = "lock/l";
    static final String PREFIX = NAME + "/";
    static final String RESOURCE = "fenced";
    /** Leases of 2 to 5 s: a waiter's may end before the holder's, so that its turn comes too late. */
    private static final int MIN_TTL_SECONDS = 2;
    private static final int MAX_TTL_SECONDS = 5;
    private static final long DEADLINE_MS = 2000;
    /** Another holder may stall past its TTL first. */
    private static final long LOCK_DEADLINE_MS = 15_000;

    private LockClient() {
    }

    static void run(int process, CairnCluster cluster, List<LockFencing.Write> writes, List<String> anomalies,
                    AtomicBoolean stop) {
        Random random = new Random(process);
        int written = 0;
        try (MemberChannel channel = new MemberChannel(cluster, process)) {
            while (!stop.get()) {
                long lease = 0;
                ByteString key = null;
                long ttl = MIN_TTL_SECONDS + random.nextInt(MAX_TTL_SECONDS - MIN_TTL_SECONDS + 1);
                try {
                    lease = LeaseGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                            .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()).getID();
                    LockResponse held = LockGrpc.newBlockingStub(channel.get())
                            .withDeadlineAfter(LOCK_DEADLINE_MS, TimeUnit.MILLISECONDS)
                            .lock(LockRequest.newBuilder().setName(bytes(NAME)).setLease(lease).build());
                    key = held.getKey();
                    long token = token(channel, key, held.getHeader().getRevision(), process, anomalies);
                    for (int n = 1 + random.nextInt(3); n > 0 && token != 0 && !stop.get(); n--) {
                        Thread.sleep(random.nextInt(8) == 0 ? TimeUnit.SECONDS.toMillis(ttl) + 1500 : 20 + random.nextInt(80));
                        String value = "p" + process + "-" + written++;
                        writes.add(fencedWrite(channel, process, key, token, value));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    channel.next();
                } finally {
                    release(channel, key, lease);
                }
            }
        }
    }

    /** The lock key's create revision, read at the revision of the Lock's answer; 0 if it was gone by then. */
    private static long token(MemberChannel channel, ByteString key, long answeredAt, int process, List<String> anomalies) {
        RangeResponse r = KVGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                .range(RangeRequest.newBuilder().setKey(key).setRevision(answeredAt).build());
        if (r.getCount() == 0) {
            anomalies.add("p" + process + " was granted the lock with " + key.toStringUtf8()
                    + ", which no longer existed at the answer's revision " + answeredAt);
            return 0;
        }
        return r.getKvs(0).getCreateRevision();
    }

    private static LockFencing.Write fencedWrite(MemberChannel channel, int process, ByteString key, long token,
                                                 String value) {
        TxnRequest txn = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(token))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                        .setKey(bytes(RESOURCE)).setValue(bytes(value))))
                .build();
        try {
            boolean held = KVGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .txn(txn).getSucceeded();
            return new LockFencing.Write(process, token, value,
                    held ? LockFencing.Write.Outcome.OK : LockFencing.Write.Outcome.REFUSED);
        } catch (RuntimeException e) {
            return new LockFencing.Write(process, token, value, LockFencing.Write.Outcome.UNKNOWN);
        }
    }

    /** Unlocks and revokes the lease, as well as the cluster lets it; what is left goes when the lease ends. */
    private static void release(MemberChannel channel, ByteString key, long lease) {
        try {
            if (key != null) {
                LockGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                        .unlock(UnlockRequest.newBuilder().setKey(key).build());
            }
            if (lease != 0) {
                LeaseGrpc.newBlockingStub(channel.get()).withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                        .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
            }
        } catch (RuntimeException e) {
            // the lease ends by itself
        }
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
