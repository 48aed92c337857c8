package io.cairn.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MemberReadingTest {

    private static MemberReading reading(long at, double requests, Map<Double, Double> buckets) {
        return new MemberReading(at, requests, new TreeMap<>(buckets), 0, 0, 0);
    }

    @Test
    void takesCountersGaugesAndOnlyUnaryBucketsFromTheText() {
        MemberReading r = MemberReading.of(5, PrometheusText.parse("""
                grpc_server_handled_total{grpc_code="OK",grpc_method="Put",grpc_type="unary"} 7
                grpc_server_handled_total{grpc_code="NotFound",grpc_method="Range",grpc_type="unary"} 3
                grpc_server_handling_seconds_bucket{grpc_method="Put",grpc_type="unary",le="0.001"} 4
                grpc_server_handling_seconds_bucket{grpc_method="Range",grpc_type="unary",le="0.001"} 2
                grpc_server_handling_seconds_bucket{grpc_method="Watch",grpc_type="bidi_stream",le="0.001"} 50
                grpc_server_handling_seconds_bucket{grpc_method="Put",grpc_type="unary",le="+Inf"} 7
                etcd_mvcc_db_total_size_in_bytes 4096
                cairn_watchers 2
                cairn_leases 1
                """));
        assertThat(r.requests()).isEqualTo(10);
        assertThat(r.buckets()).containsEntry(0.001, 6.0).containsEntry(Double.POSITIVE_INFINITY, 7.0);
        assertThat(r.dbSizeBytes()).isEqualTo(4096);
        assertThat(r.watchers()).isEqualTo(2);
        assertThat(r.leases()).isEqualTo(1);
    }

    @Test
    void ratesAreOverTheTimeBetweenReadingsAndZeroAcrossARestart() {
        MemberReading first = reading(1_000, 100, Map.of());
        assertThat(reading(3_000, 300, Map.of()).requestsPerSecond(first)).isEqualTo(100);
        assertThat(reading(3_000, 5, Map.of()).requestsPerSecond(first)).as("counter reset").isZero();
    }

    @Test
    void p99IsInterpolatedWithinTheBucketOfTheRequestsBetweenReadings() {
        MemberReading first = reading(0, 0, Map.of(0.001, 1000.0, 0.01, 1000.0, Double.POSITIVE_INFINITY, 1000.0));
        // 100 new requests: 90 under 1 ms, 10 between 1 and 10 ms -> rank 99 is 9/10 into the second bucket
        MemberReading second = reading(1000, 100, Map.of(0.001, 1090.0, 0.01, 1100.0, Double.POSITIVE_INFINITY, 1100.0));
        assertThat(second.p99Millis(first)).isCloseTo(1 + 9 * 0.9, within(1e-9));
        assertThat(first.p99Millis(first)).as("nothing finished").isZero();
    }

    @Test
    void aQuantileBeyondTheLastFiniteBoundIsThatBound() {
        TreeMap<Double, Double> b = new TreeMap<>(Map.of(0.5, 1.0, Double.POSITIVE_INFINITY, 10.0));
        assertThat(MemberReading.quantile(0.99, b)).isEqualTo(0.5);
    }
}
