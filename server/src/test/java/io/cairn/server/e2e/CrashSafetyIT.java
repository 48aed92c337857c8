package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several clients write while the server is SIGKILLed mid-stream; after a restart every write
 * that was acknowledged is there, with its value, at the revision it was acknowledged with. Two rounds, so the
 * second restart replays a log that the first restart already partly applied.
 */
@ExtendWith(OwnedProcesses.class)
class CrashSafetyIT {
    private static final int WRITERS = 8;
    /** Writes each round waits for before the kill; a round with fewer would test little. */
    private static final int PER_ROUND = 300;
    /** What a round must have acknowledged at least, so neither round can pass by writing nothing. */
    private static final int MIN_PER_ROUND = 100;

    private static final int LMDB_PAGE = 4096;

    /** What a put was acknowledged with: its revision, and the value it wrote. */
    record Ack(long revision, String value) {
    }

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillNine() throws Exception {
        Map<String, Ack> acknowledged = new ConcurrentHashMap<>();
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            for (int round = 0; round < 2; round++) {
                int before = acknowledged.size();
                writeThenKill(cairn, "r" + round, acknowledged);
                assertThat(acknowledged.size() - before).as("writes acknowledged in round " + round)
                        .isGreaterThanOrEqualTo(MIN_PER_ROUND);
                cairn.start();
                verify(cairn, acknowledged);
            }
        }
    }

    /**
     * What a crash of the machine may leave of a database whose last commits were not forced: an
     * older file whose meta pages are the newest ones, as when writes reach the disk out of
     * order. Put back with the mark of unforced commits left by an earlier boot, it must lose no
     * acknowledged write: the member sets it aside and rebuilds from raft's snapshot (when it has
     * one) and log.
     */
    @ParameterizedTest(name = "snapshot count {0}")
    @ValueSource(strings = {"100000", "100"})
    void aDatabaseTornByAMachineCrashIsRebuiltFromTheRaftLog(String snapshotCount) throws Exception {
        Map<String, Ack> acknowledged = new ConcurrentHashMap<>();
        Path db = dir.resolve("data").resolve("member").resolve("db");
        Path older = dir.resolve("older.mdb");
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--snapshot-count", snapshotCount).start()) {
            writeThenKill(cairn, "r0", acknowledged);
            cairn.start();
            Files.copy(db.resolve("data.mdb"), older);
            writeThenKill(cairn, "r1", acknowledged);
            assertThat(acknowledged).as("writes acknowledged").hasSizeGreaterThanOrEqualTo(2 * MIN_PER_ROUND);

            byte[] torn = Files.readAllBytes(older);
            try (InputStream newest = Files.newInputStream(db.resolve("data.mdb"))) {
                newest.readNBytes(torn, 0, 2 * LMDB_PAGE); // LMDB's two meta pages
            }
            Files.write(db.resolve("data.mdb"), torn);
            Files.writeString(db.resolve("unsynced"), "an-earlier-boot");
            cairn.start();
            verify(cairn, acknowledged);
            assertThat(cairn.log()).contains("data.mdb.untrusted");
        }
    }

    private static void writeThenKill(CairnProcess cairn, String round, Map<String, Ack> acknowledged)
            throws Exception {
        ManagedChannel channel = cairn.channel();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        int before = acknowledged.size();
        for (int w = 0; w < WRITERS; w++) {
            String prefix = round + "/w" + w + "/";
            Thread t = new Thread(() -> {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
                for (int i = 0; i < 100_000 && !stop.get(); i++) {
                    String key = prefix + i;
                    String value = round + "-v" + i; // unique per put, so a value from another write shows
                    try {
                        long rev = kv.withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
                                .build()).getHeader().getRevision();
                        acknowledged.put(key, new Ack(rev, value));
                    } catch (RuntimeException e) {
                        return; // the server is gone: this write was never acknowledged
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (acknowledged.size() - before < PER_ROUND && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        cairn.kill();
        stop.set(true);
        for (Thread t : writers) {
            t.join(10_000);
        }
        channel.shutdownNow();
    }

    private static void verify(CairnProcess cairn, Map<String, Ack> acknowledged) {
        ManagedChannel channel = cairn.channel();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
            RangeResponse all = kv.range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("r")).setRangeEnd(ByteString.copyFromUtf8("s")).build());
            Map<String, KeyValue> stored = new java.util.HashMap<>();
            for (KeyValue kv1 : all.getKvsList()) {
                stored.put(kv1.getKey().toStringUtf8(), kv1);
            }
            List<String> lost = new ArrayList<>();
            for (Map.Entry<String, Ack> ack : acknowledged.entrySet()) {
                KeyValue kv1 = stored.get(ack.getKey());
                Ack want = ack.getValue();
                if (kv1 == null || kv1.getModRevision() != want.revision()
                        || !kv1.getValue().toStringUtf8().equals(want.value())) {
                    lost.add(ack.getKey() + "=" + want.value() + "@" + want.revision() + " -> "
                            + (kv1 == null ? "missing" : kv1.getValue().toStringUtf8() + "@" + kv1.getModRevision()));
                }
            }
            assertThat(lost).as("acknowledged writes lost, moved or changed").isEmpty();
            Set<Long> revisions = new HashSet<>();
            for (KeyValue kv1 : all.getKvsList()) {
                assertThat(revisions.add(kv1.getModRevision())).as("one revision per put").isTrue();
            }
            assertThat(all.getHeader().getRevision()).isEqualTo(1 + all.getCount());
        } finally {
            channel.shutdownNow();
        }
    }
}
