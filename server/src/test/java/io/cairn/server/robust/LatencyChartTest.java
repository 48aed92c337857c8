package io.cairn.server.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LatencyChartTest {
    @Test
    void aChartHasALinePerStatisticATickPerUnansweredHalfSecondAndAMarkPerFault() throws Exception {
        List<LatencyChart.Op> ops = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // 2 s of operations, 10 ms each; a slow one at 1.2 s
            ops.add(new LatencyChart.Op(TimeUnit.MILLISECONDS.toNanos(i * 50L), TimeUnit.MILLISECONDS.toNanos(i == 24 ? 3000 : 10)));
        }
        ops.add(new LatencyChart.Op(TimeUnit.MILLISECONDS.toNanos(1100), -1));
        String svg = LatencyChart.svg("run <1>", ops, List.of("1000 ms: SIGKILL m1", "1500 ms: m1 restarted", "a note"));

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList lines = doc.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(((Element) lines.item(i)).getAttribute("points").trim().split(" ")).hasSize(4); // four half seconds
        }
        String slowest = ((Element) lines.item(2)).getAttribute("points");
        String median = ((Element) lines.item(0)).getAttribute("points");
        assertThat(slowest).isNotEqualTo(median); // the 3 s operation lifts the slowest line in its half second
        assertThat(svg).contains("<title>1 unanswered</title>", ">SIGKILL m1<", ">m1 restarted<", "run &lt;1&gt;")
                .doesNotContain("a note");
    }
}
