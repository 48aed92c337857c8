package io.cairn.console.views.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiffTableTest {

    @Test
    void escapesEveryText() {
        String html = DiffTable.html("Version <1>", "Version \"2\"",
                SideBySideDiff.rows("<script>alert('x')</script>\n", "a & b\n"));
        assertThat(html).doesNotContain("<script>").doesNotContain("<1>")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("a &amp; b")
                .contains("Version &lt;1&gt;").contains("Version &quot;2&quot;");
    }

    @Test
    void classesEachRowByKindAndNumbersItsLines() {
        String html = DiffTable.html("Version 1", "Version 2", SideBySideDiff.rows("a\nb\n", "a\nc\nd\n"));
        assertThat(html).contains("<tr class=\"diff-same\"><td class=\"diff-num\">1</td>")
                .contains("<tr class=\"diff-changed\"><td class=\"diff-num\">2</td><td class=\"diff-text\">b</td>"
                        + "<td class=\"diff-num\">2</td><td class=\"diff-text\">c</td></tr>")
                .contains("<tr class=\"diff-added\"><td class=\"diff-num diff-empty\"></td>");
        assertThat(html).doesNotContain("diff-note");
        assertThat(DiffTable.html("Version 1", "Version 2", SideBySideDiff.rows("a\n", "a\n"))).contains("diff-note");
    }
}
