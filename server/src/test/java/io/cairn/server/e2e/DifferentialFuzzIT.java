package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.cairn.api.etcd.CompactionRequest;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.EtcdProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random KV requests, nested txns above all, sent to the real etcd 3.4 and to Cairn side by
 * side: every answer (headers' ids and terms aside) and, every few requests, the whole keyspace
 * must be the same. Where etcd itself crashes on a request (it panics in apply on a txn that
 * deletes a key and then keeps its value), Cairn must answer an error and stay up; both then
 * start afresh. Replay with {@code -Dcairn.diff.seed}; size with {@code -Dcairn.diff.rounds}.
 */
@ExtendWith(OwnedProcesses.class)
class DifferentialFuzzIT {
    private static final long SEED = Long.getLong("cairn.diff.seed", 20261201L);
    private static final int ROUNDS = Integer.getInteger("cairn.diff.rounds", 4500);
    private static final List<Long> LEASES = List.of(0x1001L, 0x1002L);
    private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

    @TempDir
    Path dir;

    /** One request, sendable to either server. */
    private record Request(String text, Function<ManagedChannel, Message> call) {
    }

    /** What a server answered: the normalized response, or the error's code and text. */
    private record Outcome(boolean ok, String text) {
        boolean internal() {
            return text.startsWith(Status.Code.INTERNAL.name());
        }
    }

    /** A fresh etcd and a fresh Cairn, each with the same leases granted. */
    private final class Pair implements AutoCloseable {
        final EtcdProcess etcd;
        final CairnProcess cairn;
        final ManagedChannel toEtcd;
        final ManagedChannel toCairn;

        Pair(int generation) throws Exception {
            etcd = new EtcdProcess(dir.resolve("etcd-" + generation)).start();
            cairn = new CairnProcess(dir.resolve("cairn-" + generation)).start();
            toEtcd = etcd.channel();
            toCairn = cairn.channel();
            for (long id : LEASES) {
                grant(id).call().apply(toEtcd);
                grant(id).call().apply(toCairn);
            }
        }

        @Override
        public void close() throws InterruptedException {
            toEtcd.shutdownNow();
            toCairn.shutdownNow();
            etcd.close();
            cairn.close();
        }
    }

    @Test
    void randomRequestsGetEtcdsAnswersAndLeaveEtcdsKeyspace() throws Exception {
        Random random = new Random(SEED);
        RandomKvRequests gen = new RandomKvRequests(random, LEASES);
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        int generation = 0;
        int etcdCrashes = 0;
        Pair pair = new Pair(generation);
        java.util.concurrent.ExecutorService toEtcd = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                Request request = next(random, gen);
                // both at once: each server's time goes mostly to its own fsync
                java.util.concurrent.CompletableFuture<Outcome> etcdAnswer = send(request, pair.toEtcd, toEtcd);
                Outcome fromCairn = send(request, pair.toCairn);
                Outcome fromEtcd = etcdAnswer.get(30, TimeUnit.SECONDS);
                String context = "seed " + SEED + ", round " + round + ": " + request.text();
                assertThat(fromCairn.internal()).as(context + "\nCairn failed internally: " + fromCairn.text()).isFalse();
                boolean etcdGone = !fromEtcd.ok() && fromEtcd.text().startsWith(Status.Code.UNAVAILABLE.name())
                        && (!pair.etcd.isAlive() || pair.etcd.awaitExit(2_000));
                if (etcdGone) {
                    // etcd panicked on this request; Cairn must refuse it and stay up
                    etcdCrashes++;
                    assertThat(fromCairn.ok()).as(context + "\netcd crashed, so Cairn must refuse it").isFalse();
                    assertThat(pair.cairn.isAlive()).as(context).isTrue();
                    outcomes.merge("etcd crashed; Cairn: " + fromCairn.text(), 1, Integer::sum);
                    pair.close();
                    pair = new Pair(++generation);
                    gen.revision = 1;
                    continue;
                }
                assertThat(fromCairn).as(context).isEqualTo(fromEtcd);
                outcomes.merge(fromEtcd.ok() ? "OK" : fromEtcd.text(), 1, Integer::sum);
                if (round % 20 == 0 || round == ROUNDS) {
                    Outcome etcdState = send(keyspace(), pair.toEtcd);
                    assertThat(send(keyspace(), pair.toCairn)).as("keyspace after " + context).isEqualTo(etcdState);
                    assertThat(pair.cairn.isAlive()).isTrue();
                }
                if (fromEtcd.ok()) {
                    gen.revision = Math.max(gen.revision, revisionOf(fromEtcd));
                }
            }
        } finally {
            toEtcd.shutdownNow();
            pair.close();
        }
        System.out.printf("DifferentialFuzzIT: seed %d, %d requests, etcd crashed on %d; outcomes %s%n",
                SEED, ROUNDS, etcdCrashes, outcomes);
        assertThat(outcomes.get("OK")).as("most requests should succeed, or the generator tests little")
                .isGreaterThan(ROUNDS / 3);
    }

    @Test
    void theTxnThatStopsEtcdForGoodIsRefusedByCairnWhichStaysUp() throws Exception {
        // success: delete from "a" to the end of the keyspace, then put "b" keeping its value
        var txn = io.cairn.api.etcd.TxnRequest.newBuilder()
                .addSuccess(io.cairn.api.etcd.RequestOp.newBuilder().setRequestDeleteRange(
                        io.cairn.api.etcd.DeleteRangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(ALL)))
                .addSuccess(io.cairn.api.etcd.RequestOp.newBuilder().setRequestPut(
                        io.cairn.api.etcd.PutRequest.newBuilder().setKey(bs("b")).setIgnoreValue(true)))
                .build();
        var putB = io.cairn.api.etcd.PutRequest.newBuilder().setKey(bs("b")).setValue(bs("1")).build();
        try (Pair pair = new Pair(0)) {
            kv(pair.toEtcd).put(putB);
            assertThat(send(new Request("txn", c -> kv(c).txn(txn)), pair.toEtcd).ok()).isFalse();
            assertThat(pair.etcd.awaitExit(10_000)).as("etcd 3.4 panics on this txn").isTrue();

            kv(pair.toCairn).put(putB);
            assertThat(send(new Request("txn", c -> kv(c).txn(txn)), pair.toCairn).text())
                    .isEqualTo("INVALID_ARGUMENT etcdserver: key not found");
            var b = kv(pair.toCairn).range(RangeRequest.newBuilder().setKey(bs("b")).build());
            assertThat(b.getKvs(0).getValue()).isEqualTo(bs("1"));
            assertThat(b.getHeader().getRevision()).as("the refused txn took no revision").isEqualTo(2);
            kv(pair.toCairn).put(putB);
            pair.cairn.stop();
            pair.cairn.start(); // replaying the log applies the txn again, and refuses it again
            try (var again = new CairnProcessChannel(pair.cairn)) {
                assertThat(kv(again.channel).range(RangeRequest.newBuilder().setKey(bs("b")).build()).getKvs(0).getVersion())
                        .isEqualTo(2);
            }
        }
    }

    /** A fresh channel to a restarted member. */
    private record CairnProcessChannel(ManagedChannel channel) implements AutoCloseable {
        CairnProcessChannel(CairnProcess cairn) {
            this(cairn.channel());
        }

        @Override
        public void close() {
            channel.shutdownNow();
        }
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static Request next(Random random, RandomKvRequests gen) {
        int pick = random.nextInt(100);
        if (pick < 70) {
            var txn = gen.txn(2);
            return new Request("txn " + TextFormat.shortDebugString(txn), c -> kv(c).txn(txn));
        } else if (pick < 80) {
            var put = gen.put();
            return new Request("put " + TextFormat.shortDebugString(put), c -> kv(c).put(put));
        } else if (pick < 88) {
            var delete = gen.delete();
            return new Request("delete " + TextFormat.shortDebugString(delete), c -> kv(c).deleteRange(delete));
        } else if (pick < 96) {
            var range = gen.range();
            return new Request("range " + TextFormat.shortDebugString(range), c -> kv(c).range(range));
        } else if (pick < 98) {
            var compact = CompactionRequest.newBuilder().setRevision(Math.max(1, gen.revision - 4 + random.nextInt(6))).build();
            return new Request("compact " + compact.getRevision(), c -> kv(c).compact(compact));
        }
        long id = LEASES.get(random.nextInt(LEASES.size()));
        return new Request("revoke and grant again lease " + id, c -> {
            Message revoked = LeaseGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build());
            grant(id).call().apply(c);
            return revoked;
        });
    }

    private static Request grant(long id) {
        return new Request("grant lease " + id, c -> LeaseGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(600).build()));
    }

    private static Request keyspace() {
        return new Request("range of every key", c -> kv(c).range(RangeRequest.newBuilder().setKey(ALL).setRangeEnd(ALL).build()));
    }

    /** The revision in an answer's (outermost) header. */
    private static long revisionOf(Outcome answer) {
        var m = java.util.regex.Pattern.compile("revision: (\\d+)").matcher(answer.text());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static KVGrpc.KVBlockingStub kv(ManagedChannel c) {
        return KVGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.CompletableFuture<Outcome> send(Request request, ManagedChannel channel,
                                                                       java.util.concurrent.Executor on) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> send(request, channel), on);
    }

    private static Outcome send(Request request, ManagedChannel channel) {
        try {
            return new Outcome(true, TextFormat.printer().printToString(withoutIds(request.call().apply(channel))));
        } catch (StatusRuntimeException e) {
            return new Outcome(false, e.getStatus().getCode() + " " + e.getStatus().getDescription());
        }
    }

    /** The message with every header's cluster id, member id and raft term cleared, at any depth. */
    private static Message withoutIds(Message m) {
        if (m instanceof ResponseHeader h) {
            return h.toBuilder().clearClusterId().clearMemberId().clearRaftTerm().build();
        }
        Message.Builder b = m.toBuilder();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (f.isRepeated()) {
                for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
                    b.setRepeatedField(f, i, withoutIds((Message) m.getRepeatedField(f, i)));
                }
            } else if (m.hasField(f)) {
                b.setField(f, withoutIds((Message) m.getField(f)));
            }
        }
        return b.build();
    }
}
