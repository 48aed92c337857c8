package io.cairn.server.apply;

import static io.cairn.server.apply.Keyspace.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcd.Compare;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.RangeResponse;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.ResponseOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.TxnResponse;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random histories of puts, deletes, txns, reads at random revisions and compactions, run on
 * the keyspace and on {@link KeyspaceModel}: every answer must agree, before and after the
 * keyspace is reopened from disk.
 */
class KeyspacePropertyTest {
    private static final List<String> KEYS = List.of("a", "ab", "b", "ba", "bb", "c", "d");

    sealed interface Op permits Put, Delete, Read, Compact, Txn {
    }

    record Put(String key, String value) implements Op {
    }

    /** end: null for one key, "\0" for from-key, otherwise a range end. */
    record Delete(String key, String end) implements Op {
    }

    /** at: a fraction of the way from revision 0 to one past the current revision. */
    record Read(String key, String end, double at, int limit) implements Op {
    }

    record Compact(double at) implements Op {
    }

    record Guard(String key, Compare.CompareTarget target, Compare.CompareResult result, String value, int number) {
    }

    record Txn(Guard guard, List<Op> success, List<Op> failure) implements Op {
    }

    @Property(tries = 150)
    void keyspaceAgreesWithTheModel(@ForAll("histories") List<Op> history) throws IOException {
        Path dir = Files.createTempDirectory("cairn-prop");
        try (Keyspace ks = new Keyspace(dir)) {
            KeyspaceModel model = new KeyspaceModel();
            for (Op op : history) {
                step(ks, model, op);
            }
            ks.reopen();
            assertThat(ks.store().currentRevision()).isEqualTo(model.revision());
            for (long rev = 0; rev <= model.revision() + 1; rev++) {
                long at = rev;
                same(() -> ks.range(request("a", "\0", at, 0)), () -> model.range("a", "\0", at, 0));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void step(Keyspace ks, KeyspaceModel model, Op op) {
        if (op instanceof Put p) {
            long rev = ks.put(p.key(), p.value());
            model.begin();
            model.put(p.key(), p.value());
            model.commit();
            assertThat(rev).isEqualTo(model.revision());
        } else if (op instanceof Delete d) {
            long deleted = ks.delete(delete(d)).getDeleted();
            model.begin();
            assertThat(deleted).isEqualTo(model.delete(d.key(), d.end()));
            model.commit();
        } else if (op instanceof Read r) {
            long at = revisionAt(r.at(), model);
            same(() -> ks.range(request(r.key(), r.end(), at, r.limit())),
                    () -> model.range(r.key(), r.end(), at, r.limit()));
        } else if (op instanceof Compact c) {
            long at = revisionAt(c.at(), model);
            ServerError expected = error(() -> model.compact(at));
            assertThat(error(() -> ks.compact(at))).isEqualTo(expected);
        } else {
            txn(ks, model, (Txn) op);
        }
    }

    private void txn(Keyspace ks, KeyspaceModel model, Txn t) {
        TxnRequest request = TxnRequest.newBuilder().addCompare(compare(t.guard()))
                .addAllSuccess(ops(t.success())).addAllFailure(ops(t.failure())).build();
        TxnResponse resp = ks.txn(request);
        model.begin();
        boolean succeeded = holds(model.current(t.guard().key()), t.guard());
        assertThat(resp.getSucceeded()).isEqualTo(succeeded);
        List<Op> branch = succeeded ? t.success() : t.failure();
        for (int i = 0; i < branch.size(); i++) {
            ResponseOp out = resp.getResponses(i);
            Op op = branch.get(i);
            if (op instanceof Put p) {
                model.put(p.key(), p.value());
                assertThat(out.getResponsePut().getHeader().getRevision()).isEqualTo(model.revision() + 1);
            } else if (op instanceof Delete d) {
                assertThat(out.getResponseDeleteRange().getDeleted()).isEqualTo(model.delete(d.key(), d.end()));
            } else {
                Read r = (Read) op;
                KeyspaceModel.Answer want = model.range(r.key(), r.end(), 0, r.limit());
                RangeResponse got = out.getResponseRange();
                assertThat(got.getKvsList()).isEqualTo(want.kvs());
                assertThat(got.getCount()).isEqualTo(want.count());
                assertThat(got.getHeader().getRevision()).isEqualTo(want.revision());
            }
        }
        model.commit();
        assertThat(resp.getHeader().getRevision()).isEqualTo(model.revision());
    }

    /** The guard as the model judges it: on the state before the txn. */
    private static boolean holds(KeyValue kv, Guard g) {
        if (kv == null && g.target() == Compare.CompareTarget.VALUE) {
            return false;
        }
        long actual = kv == null ? 0 : switch (g.target()) {
            case VERSION -> kv.getVersion();
            case CREATE -> kv.getCreateRevision();
            case MOD -> kv.getModRevision();
            default -> 0;
        };
        int cmp = g.target() == Compare.CompareTarget.VALUE
                ? Integer.signum(kv.getValue().toStringUtf8().compareTo(g.value()))
                : Long.compare(actual, g.number());
        return switch (g.result()) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case GREATER -> cmp > 0;
            default -> cmp < 0;
        };
    }

    private static Compare compare(Guard g) {
        Compare.Builder c = Compare.newBuilder().setKey(bytes(g.key())).setTarget(g.target()).setResult(g.result());
        switch (g.target()) {
            case VALUE -> c.setValue(bytes(g.value()));
            case VERSION -> c.setVersion(g.number());
            case CREATE -> c.setCreateRevision(g.number());
            default -> c.setModRevision(g.number());
        }
        return c.build();
    }

    private static List<RequestOp> ops(List<Op> ops) {
        List<RequestOp> out = new ArrayList<>();
        for (Op op : ops) {
            if (op instanceof Put p) {
                out.add(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes(p.key())).setValue(bytes(p.value()))).build());
            } else if (op instanceof Delete d) {
                out.add(RequestOp.newBuilder().setRequestDeleteRange(delete(d)).build());
            } else {
                Read r = (Read) op;
                out.add(RequestOp.newBuilder().setRequestRange(request(r.key(), r.end(), 0, r.limit())).build());
            }
        }
        return out;
    }

    private static DeleteRangeRequest delete(Delete d) {
        DeleteRangeRequest.Builder b = DeleteRangeRequest.newBuilder().setKey(bytes(d.key()));
        if (d.end() != null) {
            b.setRangeEnd(bytes(d.end()));
        }
        return b.build();
    }

    private static RangeRequest request(String key, String end, long rev, int limit) {
        RangeRequest.Builder b = RangeRequest.newBuilder().setKey(bytes(key)).setRevision(rev).setLimit(limit);
        if (end != null) {
            b.setRangeEnd(bytes(end));
        }
        return b.build();
    }

    private static long revisionAt(double fraction, KeyspaceModel model) {
        return Math.round(fraction * (model.revision() + 1));
    }

    private static void same(Supplier<RangeResponse> actual, Supplier<KeyspaceModel.Answer> expected) {
        KeyspaceModel.Answer want = null;
        ServerError wantError = null;
        try {
            want = expected.get();
        } catch (ServerException e) {
            wantError = e.error();
        }
        if (wantError != null) {
            assertThat(error(actual::get)).isEqualTo(wantError);
            return;
        }
        RangeResponse got = actual.get();
        assertThat(got.getKvsList()).isEqualTo(want.kvs());
        assertThat(got.getCount()).isEqualTo(want.count());
        assertThat(got.getMore()).isEqualTo(want.more());
        assertThat(got.getHeader().getRevision()).isEqualTo(want.revision());
    }

    private static ServerError error(Runnable r) {
        try {
            r.run();
            return null;
        } catch (ServerException e) {
            return e.error();
        }
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, puts()),
                net.jqwik.api.Tuple.of(2, deletes()),
                net.jqwik.api.Tuple.of(3, reads()),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(0, 1).map(Compact::new)),
                net.jqwik.api.Tuple.of(2, txns()));
        return op.list().ofMaxSize(60);
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    private static Arbitrary<String> ends() {
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.just("\0"), keys(), Arbitraries.just("z"));
    }

    private static Arbitrary<Op> puts() {
        return Combinators.combine(keys(), Arbitraries.strings().withChars("xyz").ofMaxLength(3)).as(Put::new);
    }

    private static Arbitrary<Op> deletes() {
        return Combinators.combine(keys(), ends()).as(Delete::new);
    }

    private static Arbitrary<Op> reads() {
        return Combinators.combine(keys(), ends(), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 3)).as(Read::new);
    }

    /** A txn whose branches write distinct single keys, so it is never refused as a duplicate. */
    private static Arbitrary<Op> txns() {
        Arbitrary<Guard> guard = Combinators.combine(keys(), Arbitraries.of(Compare.CompareTarget.VALUE,
                        Compare.CompareTarget.VERSION, Compare.CompareTarget.CREATE, Compare.CompareTarget.MOD),
                Arbitraries.of(Compare.CompareResult.EQUAL, Compare.CompareResult.NOT_EQUAL,
                        Compare.CompareResult.GREATER, Compare.CompareResult.LESS),
                Arbitraries.strings().withChars("xyz").ofMaxLength(3), Arbitraries.integers().between(0, 12))
                .as(Guard::new);
        return Combinators.combine(guard, branch(), branch()).as(Txn::new);
    }

    private static Arbitrary<List<Op>> branch() {
        return Arbitraries.shuffle(KEYS).flatMap(order -> Arbitraries.integers().between(0, 4).flatMap(n -> {
            List<Arbitrary<Op>> ops = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = order.get(i);
                ops.add(Arbitraries.oneOf(
                        Arbitraries.strings().withChars("xyz").ofMaxLength(3).map(v -> (Op) new Put(key, v)),
                        Arbitraries.just(new Delete(key, null)),
                        Arbitraries.integers().between(0, 2).map(limit -> (Op) new Read(key, "\0", 0, limit))));
            }
            return Combinators.combine(ops).as(list -> list);
        }));
    }
}
