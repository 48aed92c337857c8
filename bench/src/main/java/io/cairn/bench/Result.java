package io.cairn.bench;

import org.HdrHistogram.Histogram;

/** One run's figures: one line for a person, one JSON line for scripts. */
record Result(String target, int members, String workload, int clients, int conns, long ops, long errors,
              double seconds, double opsPerSec, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

    static Result of(Options o, String workload, Histogram h, long errors, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        long ops = h.getTotalCount();
        return new Result(o.target, o.members, workload, o.clients, o.conns, ops, errors, seconds, ops / seconds,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    String human() {
        return String.format("%s on %s (%d member%s): %d ops, %d errors, %.0f ops/s, p50 %.2f ms, p90 %.2f ms, "
                        + "p99 %.2f ms, max %.2f ms", workload, target, members, members == 1 ? "" : "s", ops, errors,
                opsPerSec, p50Ms, p90Ms, p99Ms, maxMs);
    }

    String json() {
        return String.format(java.util.Locale.ROOT,
                "{\"target\":\"%s\",\"members\":%d,\"workload\":\"%s\",\"clients\":%d,\"conns\":%d,\"ops\":%d,"
                        + "\"errors\":%d,\"seconds\":%.3f,\"ops_per_sec\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,"
                        + "\"p99_ms\":%.3f,\"max_ms\":%.3f}",
                target, members, workload, clients, conns, ops, errors, seconds, opsPerSec, p50Ms, p90Ms, p99Ms, maxMs);
    }

    /** Reads a line written by {@link #json()}. */
    static Result parse(String line) {
        java.util.Map<String, String> f = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-0-9.]+)").matcher(line);
        while (m.find()) {
            f.put(m.group(1), m.group(2).replace("\"", ""));
        }
        return new Result(f.get("target"), Integer.parseInt(f.get("members")), f.get("workload"),
                Integer.parseInt(f.get("clients")), Integer.parseInt(f.get("conns")), Long.parseLong(f.get("ops")),
                Long.parseLong(f.get("errors")), Double.parseDouble(f.get("seconds")), Double.parseDouble(f.get("ops_per_sec")),
                Double.parseDouble(f.get("p50_ms")), Double.parseDouble(f.get("p90_ms")), Double.parseDouble(f.get("p99_ms")),
                Double.parseDouble(f.get("max_ms")));
    }
}
