package io.cairn.server.apply;

import static io.cairn.server.apply.KeyspaceModel.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import io.cairn.server.testing.Trials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random histories of writes applied several to a raft batch, as the state machine applies
 * them, with reads between batches and restarts now and then, run on the keyspace and on
 * {@link KeyspaceModel}: every response and every error must be the model's, before and after
 * the keyspace is reopened from disk. Seeded through {@link Trials}.
 */
class KeyspacePropertyTest {
    @Test
    void keyspaceAgreesWithTheModel() {
        Trials.run("KeyspacePropertyTest", 100, random -> {
            Path dir = Files.createTempDirectory("cairn-prop");
            try (Keyspace ks = new Keyspace(dir)) {
                history(random, ks);
            } finally {
                delete(dir);
            }
        });
    }

    private static void history(Random random, Keyspace ks) {
        KeyspaceModel model = new KeyspaceModel(42);
        RandomRequests requests = new RandomRequests(random, model);
        for (int step = 0, steps = 10 + random.nextInt(40); step < steps; step++) {
            int kind = random.nextInt(20);
            if (kind < 12) {
                List<Command> batch = new ArrayList<>();
                for (int n = 1 + random.nextInt(6); n > 0; n--) {
                    batch.add(requests.write());
                }
                batch(ks, model, batch);
            } else if (kind < 15) {
                RangeRequest r = requests.range();
                same("range " + TextFormat.shortDebugString(r), () -> ks.range(r), () -> model.range(r));
            } else if (kind < 19) {
                TxnRequest r = requests.readTxn();
                Command c = Command.newBuilder().setTxn(r).build();
                same("read-only txn " + TextFormat.shortDebugString(r), () -> ks.txn(r), () -> {
                    model.check(c);
                    return model.apply(c);
                });
            } else {
                ks.reopen();
            }
        }
        ks.reopen();
        assertThat(ks.store().currentRevision()).isEqualTo(model.revision());
        for (long rev = 0; rev <= model.revision() + 1; rev++) {
            RangeRequest all = RangeRequest.newBuilder().setKey(bytes("\0")).setRangeEnd(bytes("\0")).setRevision(rev).build();
            same("everything at " + rev + " after reopening", () -> ks.range(all), () -> model.range(all));
        }
        for (long lease : new long[] {42, 7, 8}) {
            assertThat(ks.leases().exists(lease)).as("lease %d after reopening", lease).isEqualTo(model.hasLease(lease));
        }
    }

    /**
     * Checks each command as the KV server does before proposing it, then applies those that
     * pass in one batch; each outcome must be the model's.
     */
    private static void batch(Keyspace ks, KeyspaceModel model, List<Command> commands) {
        List<Command> proposed = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        for (Command c : commands) {
            ServerError refused = error(() -> model.check(c));
            assertThat(error(() -> ks.check(c))).as("check of %s", describe(c)).isEqualTo(refused);
            if (refused == null) {
                proposed.add(c);
                expected.add(outcome(() -> model.apply(c)));
            }
        }
        List<Object> actual;
        try {
            actual = ks.applyBatch(proposed);
        } catch (RuntimeException e) {
            throw new AssertionError("applying the batch threw " + e + "; the batch was:\n" + describe(proposed), e);
        }
        for (int i = 0; i < proposed.size(); i++) {
            Object got = actual.get(i) instanceof ServerException e ? e.error() : actual.get(i);
            assertThat(got).as("%s, command %d of the batch:\n%s", describe(proposed.get(i)), i + 1, describe(proposed))
                    .isEqualTo(expected.get(i));
        }
        assertThat(ks.store().currentRevision()).as("revision after the batch").isEqualTo(model.revision());
    }

    /** A read's answer, or its error, must be the model's. */
    private static void same(String what, Supplier<? extends Message> actual, Supplier<? extends Message> expected) {
        assertThat(outcome(actual)).as(what).isEqualTo(outcome(expected));
    }

    /** The response, or the error of the ServerException it threw. */
    private static Object outcome(Supplier<? extends Message> s) {
        try {
            return s.get();
        } catch (ServerException e) {
            return e.error();
        }
    }

    private static ServerError error(Runnable r) {
        try {
            r.run();
            return null;
        } catch (ServerException e) {
            return e.error();
        }
    }

    private static String describe(Command c) {
        return TextFormat.shortDebugString(c);
    }

    private static String describe(List<Command> batch) {
        StringBuilder s = new StringBuilder();
        for (Command c : batch) {
            s.append("  ").append(describe(c)).append('\n');
        }
        return s.toString();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
