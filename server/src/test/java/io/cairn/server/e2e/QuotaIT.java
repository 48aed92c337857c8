package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend quota through etcdctl: filling the database raises NOSPACE, which refuses puts
 * (across a restart too) but lets reads, deletes and compaction through; once space is freed,
 * disarming the alarm lets writes in again. With auto-compaction off, as here, that is etcd's
 * manual lifecycle; {@code AutoCompactionIT} shows the alarm clearing itself.
 */
@ExtendWith(OwnedProcesses.class)
class QuotaIT {
    private static final String FILL = "head -c 60000 /dev/zero | tr '\\0' v | etcdctl put ";

    @TempDir
    Path dir;

    @BeforeAll
    static void etcdctl() {
        Etcdctl.requireInstalled();
    }

    @Test
    void noSpaceAlarmLifecycle() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--quota-backend-bytes", "3000000",
                "--auto-compaction-retention", "0")) {
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
            assertThat(last.output()).endsWith("Error: etcdserver: mvcc: database space exceeded\n")
                    .contains("code = ResourceExhausted");

            String alarm = Etcdctl.run(ep, "etcdctl alarm list").output();
            assertThat(alarm).matches("memberID:\\d+ alarm:NOSPACE \n");
            assertThat(Etcdctl.run(ep, "etcdctl put small x").output()).contains("database space exceeded");
            assertThat(Etcdctl.run(ep, "etcdctl endpoint status").output()).contains("alarm:NOSPACE");

            cairn.stop();
            cairn.start();
            assertThat(Etcdctl.run(ep, "etcdctl put small x").output()).contains("database space exceeded");
            assertThat(Etcdctl.run(ep, "etcdctl get big0 --print-value-only").output()).hasSize(60001);

            assertThat(Etcdctl.run(ep, "etcdctl del --prefix big").output()).isEqualTo(stored + "\n");
            String rev = Etcdctl.run(ep, "etcdctl get x -w json | sed 's/.*\"revision\":\\([0-9]*\\).*/\\1/'").output().trim();
            assertThat(Etcdctl.run(ep, "etcdctl compaction " + rev).output()).isEqualTo("compacted revision " + rev + "\n");
            assertThat(Etcdctl.run(ep, "etcdctl alarm disarm").output()).isEqualTo(alarm);
            assertThat(Etcdctl.run(ep, "etcdctl alarm list").output()).isEmpty();
            assertThat(Etcdctl.run(ep, FILL + "again").output()).isEqualTo("OK\n");
        }
    }
}
