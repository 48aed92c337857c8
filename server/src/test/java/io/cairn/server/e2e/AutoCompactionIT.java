package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-compaction seen through etcdctl: revision mode keeps the last N revisions, periodic mode
 * keeps a duration of history, and a NOSPACE alarm clears itself once compaction has made room.
 * Revision mode runs every 500 ms here (the hidden {@code --auto-compaction-revision-interval};
 * etcd's five minutes otherwise).
 */
@ExtendWith(OwnedProcesses.class)
class AutoCompactionIT {
    /** etcdctl's last line; a retry warning may come before it. */
    private static final String COMPACTED = "Error: etcdserver: mvcc: required revision has been compacted\n";
    private static final String FILL = "head -c 60000 /dev/zero | tr '\\0' v | etcdctl put ";

    @TempDir
    Path dir;

    @BeforeAll
    static void etcdctl() {
        Etcdctl.requireInstalled();
    }

    /** Puts k1=v1 … kN=vN, one revision each: ki is written at revision i + 1. */
    private static void putKeys(String ep, int from, int to) throws Exception {
        Etcdctl.Result r = Etcdctl.run(ep, "for i in $(seq " + from + " " + to + "); do "
                + "etcdctl put k$i v$i >/dev/null || exit 1; done");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    /** Polls {@code command} until its output passes {@code done}; returns the last output. */
    private static String await(String ep, String command, Predicate<String> done, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String out = Etcdctl.run(ep, command).output();
        while (!done.test(out) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            out = Etcdctl.run(ep, command).output();
        }
        return out;
    }

    @Test
    void revisionModeKeepsTheLastRevisions() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--auto-compaction-mode", "revision",
                "--auto-compaction-retention", "10", "--auto-compaction-revision-interval", "500")) {
            cairn.start();
            String ep = cairn.endpoint();
            putKeys(ep, 1, 30); // revisions 2 to 31

            assertThat(await(ep, "etcdctl get k1 --rev 20", o -> o.endsWith(COMPACTED), Duration.ofSeconds(15)))
                    .endsWith(COMPACTED);
            assertThat(Etcdctl.run(ep, "etcdctl get k20 --rev 21").output()).isEqualTo("k20\nv20\n");
            assertThat(Etcdctl.run(ep, "etcdctl get --prefix k --rev 31 --keys-only | grep -c k").output())
                    .isEqualTo("30\n");
            // with no writes, later rounds leave the last ten revisions alone
            Thread.sleep(1_500);
            assertThat(Etcdctl.run(ep, "etcdctl get k20 --rev 21").output()).isEqualTo("k20\nv20\n");
            assertThat(cairn.log()).contains("Compacted history up to revision 21 (auto, revision 10)")
                    .doesNotContain("Compacted history up to revision 22");
        }
    }

    @Test
    void periodicModeKeepsTheRetentionOfHistory() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--auto-compaction-mode", "periodic",
                "--auto-compaction-retention", "3s")) {
            cairn.start();
            String ep = cairn.endpoint();
            putKeys(ep, 1, 9);
            long beforeLastPut = System.nanoTime();
            putKeys(ep, 10, 10); // revision 11

            String out = await(ep, "etcdctl get k1 --rev 10", o -> o.endsWith(COMPACTED), Duration.ofSeconds(20));
            long tookMs = (System.nanoTime() - beforeLastPut) / 1_000_000;
            assertThat(out).endsWith(COMPACTED);
            // revision 11 was sampled after it was written, and kept for a retention
            assertThat(tookMs).isGreaterThanOrEqualTo(3_000);
            assertThat(Etcdctl.run(ep, "etcdctl get k10 --rev 11").output()).isEqualTo("k10\nv10\n");
            assertThat(cairn.log()).contains("Compacted history up to revision 11 (auto, periodic 3s)");
        }
    }

    @Test
    void noSpaceClearsItselfOnceCompactionMakesRoom() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--quota-backend-bytes", "3000000",
                "--auto-compaction-mode", "periodic", "--auto-compaction-retention", "2s")) {
            cairn.start();
            String ep = cairn.endpoint();
            int stored = 0;
            Etcdctl.Result last = null;
            for (int i = 0; i < 200; i++) {
                last = Etcdctl.run(ep, FILL + "big" + i);
                if (last.exit() != 0) {
                    break;
                }
                stored++;
            }
            assertThat(stored).isBetween(10, 199);
            assertThat(last.output()).endsWith("Error: etcdserver: mvcc: database space exceeded\n");
            assertThat(Etcdctl.run(ep, "etcdctl alarm list").output()).matches("memberID:\\d+ alarm:NOSPACE \n");
            // compaction alone frees nothing here: every big key is still live
            Thread.sleep(3_000);
            assertThat(cairn.log()).contains("(auto, periodic 2s)");
            assertThat(Etcdctl.run(ep, "etcdctl alarm list").output()).contains("alarm:NOSPACE");

            assertThat(Etcdctl.run(ep, "etcdctl del --prefix big").output()).isEqualTo(stored + "\n");
            long deleted = System.nanoTime();
            assertThat(await(ep, "etcdctl alarm list", String::isEmpty, Duration.ofSeconds(20))).isEmpty();
            System.out.printf("NOSPACE cleared %d ms after the delete%n", (System.nanoTime() - deleted) / 1_000_000);
            assertThat(Etcdctl.run(ep, FILL + "again").output()).isEqualTo("OK\n");
            assertThat(cairn.log()).contains("NOSPACE alarm cleared: the database uses");
        }
    }
}
