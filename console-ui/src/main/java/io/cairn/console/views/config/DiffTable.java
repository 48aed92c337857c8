package io.cairn.console.views.config;

import io.cairn.console.ui.HtmlText;
import io.cairn.console.views.config.SideBySideDiff.Kind;
import io.cairn.console.views.config.SideBySideDiff.Row;
import java.util.List;

/**
 * A side-by-side diff as an HTML table, made on the server: old on the left, new on the right,
 * each with its line numbers. Every text is escaped, since configs are anybody's text.
 */
final class DiffTable {
    private DiffTable() {
    }

    static String html(String leftTitle, String rightTitle, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        if (rows.stream().allMatch(r -> r.kind() == Kind.SAME)) {
            out.append("<p class=\"diff-note\">The two versions have the same content.</p>");
        }
        out.append("<table class=\"diff-table\"><colgroup><col class=\"diff-num-col\"><col>")
                .append("<col class=\"diff-num-col\"><col></colgroup><thead><tr><th colspan=\"2\">")
                .append(HtmlText.escape(leftTitle)).append("</th><th colspan=\"2\">").append(HtmlText.escape(rightTitle))
                .append("</th></tr></thead><tbody>");
        for (Row r : rows) {
            out.append("<tr class=\"").append(r.kind().cssClass()).append("\">");
            side(out, r.leftLine(), r.leftText());
            side(out, r.rightLine(), r.rightText());
            out.append("</tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    /** One side of a row; a side without a line (0) is left blank and shaded. */
    private static void side(StringBuilder out, int line, String text) {
        String empty = line == 0 ? " diff-empty" : "";
        out.append("<td class=\"diff-num").append(empty).append("\">").append(line == 0 ? "" : Integer.toString(line))
                .append("</td><td class=\"diff-text").append(empty).append("\">").append(HtmlText.escape(text)).append("</td>");
    }
}
