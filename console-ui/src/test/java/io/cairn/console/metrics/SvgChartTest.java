package io.cairn.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    private static MetricsSampler.Point at(long t, double rps) {
        return new MetricsSampler.Point(t, rps, 0, 0, 0, 0);
    }

    @Test
    void drawsOneLinePerMemberWithinTheWindowAndEscapesNames() {
        String svg = SvgChart.draw("Requests <per> second", Map.of("m&1", List.of(at(0, 5), at(500, 10), at(1000, 0))),
                MetricsSampler.Point::requestsPerSecond, v -> SvgChart.number(v, "/s"), 1000, 1000);
        assertThat(svg).startsWith("<svg").endsWith("</svg>").contains("Requests &lt;per&gt; second").contains("m&amp;1")
                .doesNotContain("m&1<");
        String points = svg.replaceAll("(?s).*points='([^']*)'.*", "$1");
        assertThat(points.split(" ")).hasSize(3);
        assertThat(points).startsWith("64.0,").endsWith("410.0,126.0");
        assertThat(svg).contains(">11 /s<"); // the top of the axis is 10% over the highest value
    }

    @Test
    void leavesOutPointsOlderThanTheWindowAndSaysWhenThereAreNone() {
        String svg = SvgChart.draw("Leases", Map.of("m1", List.of(at(0, 1), at(900, 2))),
                MetricsSampler.Point::requestsPerSecond, v -> SvgChart.number(v, ""), 1000, 500);
        assertThat(svg.replaceAll("(?s).*points='([^']*)'.*", "$1").split(" ")).hasSize(1);
        assertThat(SvgChart.draw("Leases", Map.of(), MetricsSampler.Point::leases, v -> "", 0, 1)).contains("no samples yet");
    }

    @Test
    void bytesReadAsPeopleReadThem() {
        assertThat(SvgChart.bytes(512)).isEqualTo("512 B");
        assertThat(SvgChart.bytes(1536 * 1024)).isEqualTo("1.5 MiB");
    }
}
