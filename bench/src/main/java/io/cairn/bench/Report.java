package io.cairn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** BENCHMARKS.md's table from the JSON lines of etcd's and Cairn's runs. */
@Command(name = "report", description = "Prints a Markdown table comparing cairn with etcd from JSON result lines.")
final class Report implements Callable<Integer> {
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
        for (Result r : all) {
            String row = r.members() + "|" + r.workload() + "|" + r.clients();
            Result[] pair = rows.computeIfAbsent(row, k -> new Result[2]);
            pair[r.target().equals("etcd") ? 0 : 1] = r;
        }
        System.out.println("| members | workload | clients | figure | etcd | cairn | cairn / etcd |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Result[] pair : rows.values()) {
            Result any = pair[0] != null ? pair[0] : pair[1];
            String head = "| " + any.members() + " | " + any.workload() + " | " + any.clients() + " | ";
            boolean latencyOnly = any.workload().equals("watch-fanout");
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
        return 0;
    }

    private static String fmt(Result r, java.util.function.ToDoubleFunction<Result> f, String format) {
        return r == null ? "–" : String.format(java.util.Locale.ROOT, format, f.applyAsDouble(r));
    }

    private static String ratio(Result[] pair, java.util.function.ToDoubleFunction<Result> f) {
        if (pair[0] == null || pair[1] == null || f.applyAsDouble(pair[0]) == 0) {
            return "–";
        }
        return String.format(java.util.Locale.ROOT, "%.2f", f.applyAsDouble(pair[1]) / f.applyAsDouble(pair[0]));
    }
}
