package io.cairn.console.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard takes from one read of a member's /metrics: the cumulative request count
 * and latency buckets (turned into rates and a p99 between two readings), and the gauges.
 *
 * @param buckets unary request latency histogram: upper bound in seconds to cumulative count
 */
public record MemberReading(long atMillis, double requests, Map<Double, Double> buckets, double dbSizeBytes,
                            double watchers, double leases) {

    public static MemberReading of(long atMillis, List<PrometheusText.Sample> samples) {
        double requests = 0;
        double dbSize = 0;
        double watchers = 0;
        double leases = 0;
        Map<Double, Double> buckets = new TreeMap<>();
        for (PrometheusText.Sample s : samples) {
            switch (s.name()) {
                case "grpc_server_handled_total" -> requests += s.value();
                case "grpc_server_handling_seconds_bucket" -> {
                    if ("unary".equals(s.labels().get("grpc_type")) && s.labels().containsKey("le")) {
                        double le = parseBound(s.labels().get("le"));
                        buckets.merge(le, s.value(), Double::sum);
                    }
                }
                case "etcd_mvcc_db_total_size_in_bytes" -> dbSize = s.value();
                case "cairn_watchers" -> watchers = s.value();
                case "cairn_leases" -> leases = s.value();
                default -> {
                }
            }
        }
        return new MemberReading(atMillis, requests, buckets, dbSize, watchers, leases);
    }

    /** Requests per second from {@code earlier} to this reading; 0 across a restart (counters reset). */
    public double requestsPerSecond(MemberReading earlier) {
        double seconds = (atMillis - earlier.atMillis) / 1000.0;
        double delta = requests - earlier.requests;
        return seconds <= 0 || delta < 0 ? 0 : delta / seconds;
    }

    /**
     * The 99th percentile latency, in milliseconds, of the requests finished between
     * {@code earlier} and this reading, interpolated within its bucket as Prometheus'
     * histogram_quantile does; 0 when none finished.
     */
    public double p99Millis(MemberReading earlier) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        buckets.forEach((le, count) -> delta.put(le, count - earlier.buckets.getOrDefault(le, 0.0)));
        return quantile(0.99, delta) * 1000;
    }

    static double quantile(double q, TreeMap<Double, Double> cumulative) {
        if (cumulative.isEmpty()) {
            return 0;
        }
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) {
            return 0;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return lowerBound; // beyond the last finite bound: say the bound, as Prometheus does
                }
                double inBucket = e.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 0 : (rank - lowerCount) / inBucket;
                return lowerBound + (e.getKey() - lowerBound) * fraction;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    private static double parseBound(String le) {
        return "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }
}
