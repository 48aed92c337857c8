package io.cairn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * BENCHMARKS.md's tables from the JSON lines of etcd's and Cairn's runs: the workloads both ran,
 * side by side; then the registry's and the config center's, which only Cairn runs, each beside
 * etcd's nearest figure and its target.
 */
@Command(name = "report", description = "Prints Markdown tables comparing cairn with etcd from JSON result lines.")
final class Report implements Callable<Integer> {
    /**
     * A Cairn-only workload, the etcd workload whose figures it is set beside (none if empty),
     * and its target: ops/s at least {@code minRatio} times etcd's; or, for a push, p99 under
     * 50 ms with nothing missed; or none, for latencies given for information.
     */
    private record Beside(String workload, String etcdWorkload, boolean latencyOnly, double minRatio, String target) {
        static Beside throughput(String workload, String etcdWorkload, double minRatio, String target) {
            return new Beside(workload, etcdWorkload, false, minRatio, target);
        }

        static Beside push(String workload, String etcdWorkload) {
            return new Beside(workload, etcdWorkload, true, 0, "p99 < 50 ms, nothing missed");
        }

        static Beside latencies(String workload) {
            return new Beside(workload, "", true, 0, "");
        }
    }

    private record Section(String title, List<Beside> workloads) {
    }

    private static final double PUSH_P99_TARGET_MS = 50;

    private static final List<Section> CAIRN_ONLY = List.of(
            new Section("Service registry (Cairn only: etcd has none), each figure beside etcd's nearest one:", List.of(
                    Beside.throughput("register", "put", 1, "ops/s ≥ etcd's puts/s"),
                    Beside.throughput("lookup-linearizable", "range-serializable", 1, "ops/s ≥ etcd's serializable ranges/s"),
                    Beside.throughput("lookup-serializable", "range-serializable", 1, "ops/s ≥ etcd's serializable ranges/s"),
                    Beside.push("push", "watch-fanout"))),
            new Section("Config center (Cairn only: etcd has none), each figure beside etcd's nearest one:", List.of(
                    Beside.throughput("publish", "put", 0.5, "ops/s ≥ ½ etcd's puts/s"),
                    Beside.push("config-push", "watch-paced"),
                    Beside.latencies("config-push-each"))));

    @Parameters(index = "0", description = "file of JSON lines")
    Path results;

    @Override
    public Integer call() throws Exception {
        List<Result> all = new ArrayList<>();
        for (String line : Files.readAllLines(results)) {
            if (line.startsWith("{")) {
                all.add(Result.parse(line));
            }
        }
        // one row per (members, workload, clients): etcd beside cairn
        Map<String, Result[]> rows = new LinkedHashMap<>();
        Map<Section, List<Result>> cairnOnly = new LinkedHashMap<>();
        for (Result r : all) {
            Section section = CAIRN_ONLY.stream().filter(s -> beside(s, r.workload()) != null).findFirst().orElse(null);
            if (section != null) {
                cairnOnly.computeIfAbsent(section, k -> new ArrayList<>()).add(r);
                continue;
            }
            Result[] pair = rows.computeIfAbsent(row(r.members(), r.workload(), r.clients()), k -> new Result[2]);
            pair[r.target().equals("etcd") ? 0 : 1] = r;
        }
        System.out.println("| members | workload | clients | figure | etcd | cairn | cairn / etcd |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Result[] pair : rows.values()) {
            Result any = pair[0] != null ? pair[0] : pair[1];
            String head = "| " + any.members() + " | " + any.workload() + " | " + any.clients() + " | ";
            boolean latencyOnly = any.workload().startsWith("watch-");
            if (!latencyOnly) {
                System.out.println(head + "ops/s | " + fmt(pair[0], Result::opsPerSec, "%.0f") + " | "
                        + fmt(pair[1], Result::opsPerSec, "%.0f") + " | " + ratio(pair, Result::opsPerSec) + " |");
            }
            System.out.println(head + "p50 ms | " + fmt(pair[0], Result::p50Ms, "%.2f") + " | "
                    + fmt(pair[1], Result::p50Ms, "%.2f") + " | " + ratio(pair, Result::p50Ms) + " |");
            System.out.println(head + "p99 ms | " + fmt(pair[0], Result::p99Ms, "%.2f") + " | "
                    + fmt(pair[1], Result::p99Ms, "%.2f") + " | " + ratio(pair, Result::p99Ms) + " |");
            if (pair[0] != null && pair[0].errors() > 0 || pair[1] != null && pair[1].errors() > 0) {
                System.out.println(head + "errors | " + (pair[0] == null ? "" : pair[0].errors()) + " | "
                        + (pair[1] == null ? "" : pair[1].errors()) + " | |");
            }
        }
        for (Map.Entry<Section, List<Result>> section : cairnOnly.entrySet()) {
            System.out.println();
            printCairnOnly(section.getKey(), section.getValue(), rows);
        }
        return 0;
    }

    /**
     * A Cairn-only section's rows: Cairn's figure, etcd's figure of the same kind from its nearest
     * workload with as many members and clients, their ratio, and whether the target was met.
     */
    private static void printCairnOnly(Section section, List<Result> results, Map<String, Result[]> rows) {
        System.out.println(section.title());
        System.out.println();
        System.out.println("| members | workload | clients | figure | cairn | etcd workload | etcd | cairn / etcd | target |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            Beside b = beside(section, r.workload());
            Result[] found = b.etcdWorkload().isEmpty() ? null : rows.get(row(r.members(), b.etcdWorkload(), r.clients()));
            Result[] pair = {found == null ? null : found[0], r};
            String head = "| " + r.members() + " | " + r.workload() + " | " + r.clients() + " | ";
            String etcd = b.etcdWorkload().isEmpty() ? "–"
                    : b.etcdWorkload() + " (" + r.clients() + (b.latencyOnly() ? " watchers" : " clients") + ")";
            if (!b.latencyOnly()) {
                boolean met = pair[0] != null && r.opsPerSec() >= b.minRatio() * pair[0].opsPerSec();
                System.out.println(head + "ops/s | " + fmt(r, Result::opsPerSec, "%.0f") + " | " + etcd + " | "
                        + fmt(pair[0], Result::opsPerSec, "%.0f") + " | " + ratio(pair, Result::opsPerSec) + " | "
                        + b.target() + ": " + (pair[0] == null ? "–" : met ? "met" : "not met") + " |");
            }
            System.out.println(head + "p50 ms | " + fmt(r, Result::p50Ms, "%.2f") + " | " + etcd + " | "
                    + fmt(pair[0], Result::p50Ms, "%.2f") + " | " + ratio(pair, Result::p50Ms) + " | |");
            boolean push = b.latencyOnly() && !b.target().isEmpty();
            String p99Target = push ? b.target() + ": " + (r.p99Ms() < PUSH_P99_TARGET_MS && r.errors() == 0 ? "met" : "not met") : "";
            System.out.println(head + "p99 ms | " + fmt(r, Result::p99Ms, "%.2f") + " | " + etcd + " | "
                    + fmt(pair[0], Result::p99Ms, "%.2f") + " | " + ratio(pair, Result::p99Ms) + " |"
                    + (p99Target.isEmpty() ? " |" : " " + p99Target + " |"));
            if (b.latencyOnly()) {
                System.out.println(head + "max ms | " + fmt(r, Result::maxMs, "%.2f") + " | " + etcd + " | "
                        + fmt(pair[0], Result::maxMs, "%.2f") + " | " + ratio(pair, Result::maxMs) + " | |");
            }
            if (push || r.errors() > 0) {
                System.out.println(head + (push ? "missed or failed" : "errors") + " | " + r.errors() + " | | | | |");
            }
        }
    }

    private static Beside beside(Section section, String workload) {
        return section.workloads().stream().filter(b -> b.workload().equals(workload)).findFirst().orElse(null);
    }

    private static String row(int members, String workload, int clients) {
        return members + "|" + workload + "|" + clients;
    }

    private static String fmt(Result r, ToDoubleFunction<Result> f, String format) {
        return r == null ? "–" : String.format(Locale.ROOT, format, f.applyAsDouble(r));
    }

    private static String ratio(Result[] pair, ToDoubleFunction<Result> f) {
        if (pair[0] == null || pair[1] == null || f.applyAsDouble(pair[0]) == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", f.applyAsDouble(pair[1]) / f.applyAsDouble(pair[0]));
    }
}
