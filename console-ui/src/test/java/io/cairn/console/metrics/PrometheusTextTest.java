package io.cairn.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void readsSamplesWithAndWithoutLabelsAndSkipsComments() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # HELP cairn_leases Leases granted and not yet expired.
                # TYPE cairn_leases gauge
                cairn_leases 3.0

                grpc_server_handled_total{grpc_code="OK",grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"} 12.0
                grpc_server_handling_seconds_bucket{grpc_type="unary",le="+Inf"} 12 1700000000000
                odd{path="a\\"b,c}"} 1e3
                """);
        assertThat(samples).containsExactly(
                new PrometheusText.Sample("cairn_leases", Map.of(), 3.0),
                new PrometheusText.Sample("grpc_server_handled_total",
                        Map.of("grpc_code", "OK", "grpc_method", "Put", "grpc_service", "etcdserverpb.KV", "grpc_type", "unary"), 12.0),
                new PrometheusText.Sample("grpc_server_handling_seconds_bucket", Map.of("grpc_type", "unary", "le", "+Inf"), 12.0),
                new PrometheusText.Sample("odd", Map.of("path", "a\"b,c}"), 1000.0));
    }

    @Test
    void skipsLinesItCannotRead() {
        assertThat(PrometheusText.parse("garbage\nname{unclosed=\"x 1\nok 2\nbad notanumber\n"))
                .containsExactly(new PrometheusText.Sample("ok", Map.of(), 2.0));
    }
}
