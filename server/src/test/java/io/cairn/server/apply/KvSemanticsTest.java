package io.cairn.server.apply;

import static io.cairn.server.apply.Keyspace.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Txn;

/** etcd's KV semantics, checked on a keyspace without raft. */
class KvSemanticsTest {
    @TempDir
    Path dir;
    Keyspace ks;

    @BeforeEach
    void open() {
        ks = new Keyspace(dir);
    }

    @AfterEach
    void close() {
        ks.close();
    }

    private static ServerError errorOf(Runnable r) {
        try {
            r.run();
        } catch (ServerException e) {
            return e.error();
        }
        throw new AssertionError("expected a ServerException");
    }

    private static RangeRequest.Builder range(String key, String end) {
        return RangeRequest.newBuilder().setKey(bytes(key)).setRangeEnd(bytes(end));
    }

    private static RequestOp put(String k, String v) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(k)).setValue(bytes(v))).build();
    }

    private static RequestOp del(String k, String end) {
        return RequestOp.newBuilder().setRequestDeleteRange(
                DeleteRangeRequest.newBuilder().setKey(bytes(k)).setRangeEnd(bytes(end))).build();
    }

    private static RequestOp get(String k) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(k))).build();
    }

    @Test
    void aFreshStoreIsAtRevisionOneAndTheFirstWriteIsTwo() {
        assertThat(ks.get("foo").getHeader().getRevision()).isEqualTo(1);
        assertThat(ks.put("foo", "bar")).isEqualTo(2);
        KeyValue kv = ks.get("foo").getKvs(0);
        assertThat(kv.getCreateRevision()).isEqualTo(2);
        assertThat(kv.getModRevision()).isEqualTo(2);
        assertThat(kv.getVersion()).isEqualTo(1);
    }

    @Test
    void versionsCountModificationsAndRestartAfterADelete() {
        ks.put("k", "1");
        ks.put("k", "2");
        KeyValue kv = ks.get("k").getKvs(0);
        assertThat(kv.getVersion()).isEqualTo(2);
        assertThat(kv.getCreateRevision()).isEqualTo(2);
        assertThat(kv.getModRevision()).isEqualTo(3);
        ks.delete(DeleteRangeRequest.newBuilder().setKey(bytes("k")).build());
        assertThat(ks.get("k").getKvsList()).isEmpty();
        ks.put("k", "3");
        kv = ks.get("k").getKvs(0);
        assertThat(kv.getVersion()).isEqualTo(1);
        assertThat(kv.getCreateRevision()).isEqualTo(5);
    }

    @Test
    void readsAtPastRevisionsSeeThePastAndReportTheCurrentRevision() {
        ks.put("k", "old");
        ks.put("k", "new");
        ks.delete(DeleteRangeRequest.newBuilder().setKey(bytes("k")).build());
        RangeResponse at2 = ks.range(RangeRequest.newBuilder().setKey(bytes("k")).setRevision(2).build());
        assertThat(at2.getKvs(0).getValue().toStringUtf8()).isEqualTo("old");
        assertThat(at2.getHeader().getRevision()).isEqualTo(4);
        RangeResponse at3 = ks.range(RangeRequest.newBuilder().setKey(bytes("k")).setRevision(3).build());
        assertThat(at3.getKvs(0).getValue().toStringUtf8()).isEqualTo("new");
        assertThat(ks.range(RangeRequest.newBuilder().setKey(bytes("k")).setRevision(4).build()).getKvsList()).isEmpty();
        assertThat(errorOf(() -> ks.range(RangeRequest.newBuilder().setKey(bytes("k")).setRevision(5).build())))
                .isEqualTo(ServerError.FUTURE_REV);
    }

    @Test
    void compactionRemovesSupersededRevisionsFromDisk() {
        for (int i = 0; i < 10; i++) {
            ks.put("k", "v" + i);
        }
        ks.put("other", "x");
        ks.delete(DeleteRangeRequest.newBuilder().setKey(bytes("other")).build());
        assertThat(revisionRecords()).isEqualTo(12);
        ks.compact(13);
        assertThat(errorOf(() -> ks.range(RangeRequest.newBuilder().setKey(bytes("k")).setRevision(12).build())))
                .isEqualTo(ServerError.COMPACTED);
        awaitCompaction();
        // k keeps only its newest value; of "other" only the tombstone at the compaction
        // revision stays, for watchers that start there
        assertThat(revisionRecords()).isEqualTo(2);
        assertThat(ks.get("k").getKvs(0).getValue().toStringUtf8()).isEqualTo("v9");
        assertThat(errorOf(() -> ks.range(RangeRequest.newBuilder().setKey(bytes("k")).setRevision(12).build())))
                .isEqualTo(ServerError.COMPACTED);
        assertThat(errorOf(() -> ks.compact(13))).isEqualTo(ServerError.COMPACTED);
        ks.put("k", "v10");
        ks.compact(14);
        awaitCompaction();
        assertThat(revisionRecords()).isEqualTo(1);
        assertThat(errorOf(() -> ks.compact(15))).isEqualTo(ServerError.FUTURE_REV);
    }

    private void awaitCompaction() {
        try {
            assertThat(ks.store().awaitCompaction(10_000)).as("compacted history deleted").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void compactionDeletesHistoryInBoundedBatchesOffTheApplyPathAndResumesAfterARestart() {
        int keys = 3 * io.cairn.server.storage.mvcc.CompactionProbe.batchSize() + 17;
        for (int round = 0; round < 2; round++) {
            TxnRequest.Builder t = TxnRequest.newBuilder();
            for (int i = 0; i < keys; i++) {
                t.addSuccess(put("key" + i, "v" + round));
            }
            ks.applyBatch(List.of(io.cairn.server.command.Command.newBuilder().setTxn(t).build()));
        }
        long before = io.cairn.server.storage.mvcc.CompactionProbe.batches(ks.store());
        ks.compact(ks.store().currentRevision());
        awaitCompaction();
        assertThat(revisionRecords()).isEqualTo(keys);
        assertThat(io.cairn.server.storage.mvcc.CompactionProbe.batches(ks.store()) - before)
                .as("write transactions of at most a batch each").isGreaterThanOrEqualTo(4);

        // a restart before the deletions end finishes them
        for (int i = 0; i < keys; i++) {
            ks.put("key" + i, "w");
        }
        ks.compact(ks.store().currentRevision());
        ks.reopen();
        awaitCompaction();
        assertThat(revisionRecords()).isEqualTo(keys);
        assertThat(ks.get("key5").getKvs(0).getValue().toStringUtf8()).isEqualTo("w");
    }

    @Test
    void aCompactionToARevisionWrittenInTheSameBatchTakesEffectWithTheBatch() {
        ks.put("a", "1");
        long next = ks.store().currentRevision() + 1;
        List<Object> outcomes = ks.applyBatch(List.of(
                io.cairn.server.command.Command.newBuilder().setPut(PutRequest.newBuilder()
                        .setKey(bytes("a")).setValue(bytes("2"))).build(),
                io.cairn.server.command.Command.newBuilder().setCompaction(
                        io.cairn.api.etcd.CompactionRequest.newBuilder().setRevision(next)).build(),
                io.cairn.server.command.Command.newBuilder().setTxn(TxnRequest.newBuilder()
                        .addSuccess(RequestOp.newBuilder().setRequestRange(range("a", "").setRevision(next - 1)))
                        .addSuccess(put("b", "1"))).build()));
        assertThat(outcomes.get(1)).isNotInstanceOf(ServerException.class);
        assertThat(((ServerException) outcomes.get(2)).error()).as("a read below the staged compaction")
                .isEqualTo(ServerError.COMPACTED);
        assertThat(ks.store().compactedRevision()).isEqualTo(next);
        assertThat(ks.get("a").getKvs(0).getValue().toStringUtf8()).isEqualTo("2");
        assertThat(ks.get("b").getKvsList()).isEmpty();
        awaitCompaction();
        assertThat(revisionRecords()).isEqualTo(1);
    }

    @Test
    void compactionIsKeptAcrossARestart() {
        ks.put("a", "1");
        ks.put("a", "2");
        ks.put("b", "1");
        ks.compact(3);
        ks.reopen();
        assertThat(ks.store().compactedRevision()).isEqualTo(3);
        assertThat(ks.store().currentRevision()).isEqualTo(4);
        assertThat(ks.range(range("a", "c").build()).getKvsList()).extracting(kv -> kv.getValue().toStringUtf8())
                .containsExactly("2", "1");
        assertThat(ks.range(range("a", "c").setRevision(3).build()).getCount()).isEqualTo(1);
        assertThat(errorOf(() -> ks.range(range("a", "c").setRevision(2).build()))).isEqualTo(ServerError.COMPACTED);
        assertThat(ks.put("a", "3")).isEqualTo(5);
        assertThat(ks.get("a").getKvs(0).getVersion()).isEqualTo(3);
    }

    @Test
    void rangesFollowEtcdsRulesForEndsLimitsAndCounts() {
        for (String k : List.of("foo", "foo1", "foo2", "foo3", "fop", "zoo")) {
            ks.put(k, "v-" + k);
        }
        assertThat(keys(ks.range(range("foo", "foo3").build()))).containsExactly("foo", "foo1", "foo2");
        assertThat(keys(ks.range(range("foo", "fop").build()))).containsExactly("foo", "foo1", "foo2", "foo3");
        assertThat(keys(ks.range(range("foo1", "\0").build()))).containsExactly("foo1", "foo2", "foo3", "fop", "zoo");
        assertThat(keys(ks.range(range("\0", "\0").build()))).hasSize(6);
        assertThat(keys(ks.range(range("zzz", "aaa").build()))).isEmpty();

        RangeResponse limited = ks.range(range("foo", "fop").setLimit(2).build());
        assertThat(keys(limited)).containsExactly("foo", "foo1");
        assertThat(limited.getMore()).isTrue();
        assertThat(limited.getCount()).isEqualTo(4);
        assertThat(ks.range(range("foo", "fop").setLimit(4).build()).getMore()).isFalse();

        RangeResponse counted = ks.range(range("foo", "fop").setCountOnly(true).build());
        assertThat(counted.getKvsList()).isEmpty();
        assertThat(counted.getCount()).isEqualTo(4);

        RangeResponse keysOnly = ks.range(range("foo", "fop").setKeysOnly(true).build());
        assertThat(keysOnly.getKvsList()).allMatch(kv -> kv.getValue().isEmpty() && kv.getModRevision() > 0);
    }

    @Test
    void rangesSortFilterAndThenLimit() {
        ks.put("c", "1");
        ks.put("a", "3");
        ks.put("b", "2");
        ks.put("c", "4");
        RangeRequest.Builder all = range("a", "d");
        assertThat(keys(ks.range(all.clone().setSortOrder(RangeRequest.SortOrder.DESCEND).build())))
                .containsExactly("c", "b", "a");
        assertThat(keys(ks.range(all.clone().setSortTarget(RangeRequest.SortTarget.MOD).build())))
                .containsExactly("a", "b", "c");
        assertThat(keys(ks.range(all.clone().setSortTarget(RangeRequest.SortTarget.CREATE)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).build()))).containsExactly("b", "a", "c");
        assertThat(keys(ks.range(all.clone().setSortTarget(RangeRequest.SortTarget.VALUE).build())))
                .containsExactly("b", "a", "c");
        assertThat(keys(ks.range(all.clone().setSortTarget(RangeRequest.SortTarget.VERSION)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).setLimit(1).build()))).containsExactly("c");
        RangeResponse filtered = ks.range(all.clone().setMinModRevision(3).setMaxModRevision(4).build());
        assertThat(keys(filtered)).containsExactly("a", "b");
        assertThat(filtered.getCount()).isEqualTo(3); // count ignores the filters, as etcd's does
        assertThat(keys(ks.range(all.clone().setMaxCreateRevision(2).build()))).containsExactly("c");
        assertThat(keys(ks.range(all.clone().setMinCreateRevision(3).setLimit(1).build()))).containsExactly("a");
    }

    @Test
    void putOptionsBehaveAsInEtcd() {
        ks.put("k", "v1");
        var withPrev = ks.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v2")).setPrevKv(true).build());
        assertThat(withPrev.getPrevKv().getValue().toStringUtf8()).isEqualTo("v1");
        ks.put(PutRequest.newBuilder().setKey(bytes("k")).setLease(42).setValue(bytes("v3")).build());
        ks.put(PutRequest.newBuilder().setKey(bytes("k")).setIgnoreValue(true).setLease(42).build());
        KeyValue kv = ks.get("k").getKvs(0);
        assertThat(kv.getValue().toStringUtf8()).isEqualTo("v3");
        assertThat(kv.getLease()).isEqualTo(42);
        ks.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v4")).setIgnoreLease(true).build());
        assertThat(ks.get("k").getKvs(0).getLease()).isEqualTo(42);
        ks.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v5")).build());
        assertThat(ks.get("k").getKvs(0).getLease()).isZero();

        long before = ks.store().currentRevision();
        assertThat(errorOf(() -> ks.put(PutRequest.newBuilder().setKey(bytes("missing")).setIgnoreValue(true).build())))
                .isEqualTo(ServerError.KEY_NOT_FOUND);
        assertThat(errorOf(() -> ks.put(PutRequest.newBuilder().setKey(bytes("k")).setLease(7).build())))
                .isEqualTo(ServerError.LEASE_NOT_FOUND);
        assertThat(errorOf(() -> ks.put(PutRequest.newBuilder().setKey(bytes("k")).setIgnoreValue(true)
                .setValue(bytes("x")).build()))).isEqualTo(ServerError.VALUE_PROVIDED);
        assertThat(errorOf(() -> ks.put(PutRequest.newBuilder().setKey(bytes("k")).setIgnoreLease(true)
                .setLease(42).build()))).isEqualTo(ServerError.LEASE_PROVIDED);
        assertThat(errorOf(() -> ks.put(PutRequest.newBuilder().setValue(bytes("x")).build())))
                .isEqualTo(ServerError.EMPTY_KEY);
        assertThat(ks.store().currentRevision()).isEqualTo(before);
    }

    @Test
    void deleteRangeReturnsPreviousValuesAndUsesOneRevision() {
        ks.put("a1", "x");
        ks.put("a2", "y");
        ks.put("b", "z");
        var resp = ks.delete(DeleteRangeRequest.newBuilder().setKey(bytes("a")).setRangeEnd(bytes("b")).setPrevKv(true).build());
        assertThat(resp.getDeleted()).isEqualTo(2);
        assertThat(resp.getPrevKvsList()).extracting(kv -> kv.getValue().toStringUtf8()).containsExactly("x", "y");
        assertThat(resp.getHeader().getRevision()).isEqualTo(5);
        var none = ks.delete(DeleteRangeRequest.newBuilder().setKey(bytes("nothing")).build());
        assertThat(none.getDeleted()).isZero();
        assertThat(none.getHeader().getRevision()).isEqualTo(5);
    }

    @Test
    void txnComparesEveryTargetAndTakesOneBranch() {
        ks.put("k", "v");
        ks.put(PutRequest.newBuilder().setKey(bytes("leased")).setValue(bytes("x")).setLease(42).build());
        List<Compare> holds = List.of(
                Compare.newBuilder().setKey(bytes("k")).setTarget(Compare.CompareTarget.VALUE).setValue(bytes("v")).build(),
                Compare.newBuilder().setKey(bytes("k")).setTarget(Compare.CompareTarget.VERSION).setVersion(1).build(),
                Compare.newBuilder().setKey(bytes("k")).setTarget(Compare.CompareTarget.CREATE).setCreateRevision(2).build(),
                Compare.newBuilder().setKey(bytes("k")).setTarget(Compare.CompareTarget.MOD)
                        .setResult(Compare.CompareResult.LESS).setModRevision(3).build(),
                Compare.newBuilder().setKey(bytes("leased")).setTarget(Compare.CompareTarget.LEASE).setLease(42).build(),
                Compare.newBuilder().setKey(bytes("missing")).setTarget(Compare.CompareTarget.VERSION).setVersion(0).build(),
                Compare.newBuilder().setKey(bytes("a")).setRangeEnd(bytes("z")).setTarget(Compare.CompareTarget.MOD)
                        .setResult(Compare.CompareResult.GREATER).setModRevision(1).build());
        for (Compare c : holds) {
            TxnResponse resp = ks.txn(TxnRequest.newBuilder().addCompare(c).addSuccess(get("k")).build());
            assertThat(resp.getSucceeded()).as(c.toString()).isTrue();
        }
        Compare valueOfMissing = Compare.newBuilder().setKey(bytes("missing"))
                .setTarget(Compare.CompareTarget.VALUE).setResult(Compare.CompareResult.NOT_EQUAL).setValue(bytes("v")).build();
        assertThat(ks.txn(TxnRequest.newBuilder().addCompare(valueOfMissing).build()).getSucceeded()).isFalse();

        TxnResponse failed = ks.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bytes("k")).setTarget(Compare.CompareTarget.VALUE).setValue(bytes("no")))
                .addSuccess(put("k", "yes")).addFailure(put("k", "no")).addFailure(get("k")).build());
        assertThat(failed.getSucceeded()).isFalse();
        assertThat(failed.getHeader().getRevision()).isEqualTo(4);
        // a read inside the txn sees the txn's own earlier write
        assertThat(failed.getResponses(1).getResponseRange().getKvs(0).getValue().toStringUtf8()).isEqualTo("no");
        assertThat(failed.getResponses(1).getResponseRange().getHeader().getRevision()).isEqualTo(4);
    }

    @Test
    void nestedTxnsJudgeTheirComparesBeforeAnyWrite() {
        ks.put("k", "v");
        TxnRequest inner = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bytes("k")).setTarget(Compare.CompareTarget.VALUE).setValue(bytes("v")))
                .addSuccess(put("inner", "then")).addFailure(put("inner", "else")).build();
        TxnResponse resp = ks.txn(TxnRequest.newBuilder()
                .addSuccess(put("k", "changed"))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(inner)).build());
        assertThat(resp.getSucceeded()).isTrue();
        assertThat(resp.getResponses(1).getResponseTxn().getSucceeded()).isTrue();
        assertThat(ks.get("inner").getKvs(0).getValue().toStringUtf8()).isEqualTo("then");
        assertThat(ks.get("inner").getKvs(0).getModRevision()).isEqualTo(3);
        assertThat(ks.get("k").getKvs(0).getModRevision()).isEqualTo(3);
    }

    @Test
    void aFailingTxnChangesNothing() {
        ks.put("k", "v");
        long before = ks.store().currentRevision();
        TxnRequest bad = TxnRequest.newBuilder().addSuccess(put("a", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes("missing")).setIgnoreValue(true))).build();
        assertThat(errorOf(() -> ks.txn(bad))).isEqualTo(ServerError.KEY_NOT_FOUND);
        TxnRequest future = TxnRequest.newBuilder().addSuccess(put("a", "1"))
                .addSuccess(RequestOp.newBuilder().setRequestRange(
                        RangeRequest.newBuilder().setKey(bytes("k")).setRevision(99))).build();
        assertThat(errorOf(() -> ks.txn(future))).isEqualTo(ServerError.FUTURE_REV);
        assertThat(ks.store().currentRevision()).isEqualTo(before);
        assertThat(ks.get("a").getKvsList()).isEmpty();
    }

    @Test
    void aTxnWhosePutKeepsTheValueOfAKeyItDeletedFailsWholeAndTheBatchGoesOn() {
        ks.put("a", "1");
        ks.put("b", "2");
        long before = ks.store().currentRevision();
        // etcd 3.4 passes this txn's checks and then panics in apply ("\0" ends the delete at
        // the end of the keyspace, so the put finds no value to keep)
        TxnRequest deleteThenKeep = TxnRequest.newBuilder().addSuccess(del("a", "\0"))
                .addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes("b")).setIgnoreValue(true))).build();
        io.cairn.server.command.Command put = io.cairn.server.command.Command.newBuilder()
                .setPut(PutRequest.newBuilder().setKey(bytes("c")).setValue(bytes("3"))).build();
        List<io.cairn.api.etcd.Event> events = new java.util.ArrayList<>();
        ks.onCommitted(events::addAll);
        List<Object> outcomes = ks.applyBatch(List.of(put,
                io.cairn.server.command.Command.newBuilder().setTxn(deleteThenKeep).build(), put));

        assertThat(outcomes.get(1)).isInstanceOf(ServerException.class);
        assertThat(((ServerException) outcomes.get(1)).error()).isEqualTo(ServerError.KEY_NOT_FOUND);
        // the failed txn took no revision: the two puts around it are consecutive
        assertThat(events).extracting(e -> e.getKv().getModRevision()).containsExactly(before + 1, before + 2);
        assertThat(ks.store().currentRevision()).isEqualTo(before + 2);
        assertThat(ks.get("a").getKvs(0).getValue().toStringUtf8()).isEqualTo("1");
        assertThat(ks.get("b").getKvs(0).getVersion()).isEqualTo(1);
        ks.reopen(); // the database holds exactly what the index held
        assertThat(ks.get("a").getKvs(0).getModRevision()).isEqualTo(before - 1);
        assertThat(ks.get("c").getKvs(0).getVersion()).isEqualTo(2);
        assertThat(ks.range(range("a", "\0").build()).getCount()).isEqualTo(3);
        assertThat(ks.store().currentRevision()).isEqualTo(before + 2);
    }

    @Test
    void txnsMayNotWriteAKeyTwice() {
        assertThat(errorOf(() -> ks.txn(TxnRequest.newBuilder().addSuccess(put("a", "1")).addSuccess(put("a", "2")).build())))
                .isEqualTo(ServerError.DUPLICATE_KEY);
        assertThat(errorOf(() -> ks.txn(TxnRequest.newBuilder().addSuccess(put("b", "1")).addSuccess(del("a", "c")).build())))
                .isEqualTo(ServerError.DUPLICATE_KEY);
        TxnRequest nested = TxnRequest.newBuilder().addSuccess(put("a", "1")).addFailure(put("a", "2")).build();
        assertThat(errorOf(() -> ks.txn(TxnRequest.newBuilder().addSuccess(put("a", "0"))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(nested)).build()))).isEqualTo(ServerError.DUPLICATE_KEY);
        // the two branches of one nested txn are exclusive, so both may write the same key
        ks.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestTxn(nested)).build());
        // two deletes may overlap, and a put and a delete in different branches are fine
        ks.txn(TxnRequest.newBuilder().addSuccess(del("a", "c")).addSuccess(del("b", "d")).addFailure(put("b", "1")).build());
        assertThat(errorOf(() -> ks.txn(TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()).build())))
                .isEqualTo(ServerError.KEY_NOT_FOUND);
    }

    @Test
    void txnOpCountIsBounded() {
        TxnRequest.Builder big = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            big.addSuccess(put("k" + i, "v"));
        }
        assertThat(errorOf(() -> ks.txn(big.build()))).isEqualTo(ServerError.TOO_MANY_OPS);
    }

    @Test
    void keysLongerThanLmdbAllowsAreFine() {
        String key = "k".repeat(4096);
        ks.put(key, "v");
        assertThat(ks.get(key).getKvs(0).getValue().toStringUtf8()).isEqualTo("v");
        ks.reopen();
        assertThat(ks.get(key).getKvs(0).getValue().toStringUtf8()).isEqualTo("v");
    }

    private long revisionRecords() {
        try (Txn<ByteBuffer> txn = ks.store().backend().readTxn()) {
            return ks.store().backend().revisions().stat(txn).entries;
        }
    }

    private static List<String> keys(RangeResponse r) {
        return r.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
    }

    @Test
    void emptyKeysAreRefused() {
        assertThatThrownBy(() -> ks.range(RangeRequest.getDefaultInstance()))
                .isInstanceOf(ServerException.class).hasMessage("etcdserver: key is not provided");
    }
}
