package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Seconds of every workload against one member, so that the load generator never rots. */
@ExtendWith(OwnedProcesses.class)
class BenchSmokeIT {
    @TempDir
    Path dir;

    @Test
    void everyWorkloadRunsAndReportsWithoutErrors() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            String[] common = {"--endpoints", cairn.endpoint(), "--target", "cairn", "--quiet", "--warmup", "50"};
            List<String[]> runs = List.of(
                    args(common, "put", "--clients", "4", "--conns", "2", "--total", "300"),
                    args(common, "range", "--clients", "4", "--conns", "2", "--total", "300", "--key-space", "100"),
                    args(common, "range", "--consistency", "s", "--clients", "4", "--total", "300", "--key-space", "100"),
                    args(common, "txn", "--clients", "4", "--total", "200"),
                    args(common, "mixed", "--clients", "4", "--total", "300", "--key-space", "100"),
                    args(common, "watch", "--watchers", "50", "--streams", "2", "--puts", "20"),
                    args(common, "lease", "--clients", "2", "--leases", "20", "--total", "300"),
                    args(common, "put", "--clients", "2", "--duration", "1", "--total", "0"),
                    args(common, "lookup", "--clients", "4", "--total", "200", "--instances", "10"),
                    args(common, "lookup", "--consistency", "s", "--clients", "4", "--total", "200", "--instances", "10"),
                    args(common, "push", "--subscribers", "50", "--conns", "2", "--changes", "10"),
                    args(common, "register", "--clients", "4", "--conns", "2", "--total", "200"),
                    args(common, "publish", "--clients", "4", "--conns", "2", "--total", "200"),
                    args(common, "watch", "--watchers", "50", "--streams", "2", "--puts", "10", "--interval-ms", "20"),
                    args(common, "config-push", "--listeners", "50", "--conns", "2", "--publishes", "10", "--interval-ms", "20"));
            StringBuilder lines = new StringBuilder();
            for (String[] run : runs) {
                String out = capture(run);
                assertThat(out).as(String.join(" ", run)).contains("\"errors\":0").contains("\"target\":\"cairn\"");
                out.lines().filter(l -> l.startsWith("{")).forEach(l -> lines.append(l).append('\n'));
            }
            // config-push prints two: to the last listener, and to each
            assertThat(lines.toString().lines()).hasSize(runs.size() + 1);
            Path results = Files.writeString(dir.resolve("results.jsonl"), lines);
            String table = capture(new String[] {"report", results.toString()});
            assertThat(table).contains("| members | workload | clients | figure | etcd | cairn | cairn / etcd |")
                    .contains("| 1 | put | 4 | ops/s | – |").contains("| 1 | watch-fanout | 50 | p99 ms |")
                    .contains("| 1 | register | 4 | ops/s |").contains("| 1 | lookup-serializable | 4 | ops/s |")
                    .contains("| 1 | push | 50 | missed or failed | 0 |")
                    .contains("| 1 | watch-paced | 50 | p99 ms |").contains("| 1 | publish | 4 | ops/s |")
                    .contains("| 1 | config-push | 50 | missed or failed | 0 |").contains("| 1 | config-push-each | 50 | p99 ms |");
        }
    }

    private static String[] args(String[] common, String... run) {
        String[] all = new String[run.length + common.length];
        System.arraycopy(run, 0, all, 0, run.length);
        System.arraycopy(common, 0, all, run.length, common.length);
        return all;
    }

    private static String capture(String[] args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new Bench()).execute(args);
            assertThat(exit).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
