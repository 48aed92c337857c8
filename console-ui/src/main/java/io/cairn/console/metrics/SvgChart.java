package io.cairn.console.metrics;

import io.cairn.console.ui.HtmlText;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * A line chart drawn on the server as SVG: one line per member over a shared time axis. The
 * console cannot ship a charting library to the browser (no frontend build here), and a
 * handful of polylines is all a dashboard needs.
 */
public final class SvgChart {
    private static final String[] COLORS = {"#1676f3", "#e8590c", "#2b8a3e", "#ae3ec9", "#c92a2a", "#1098ad"};
    private static final int WIDTH = 420;
    private static final int HEIGHT = 160;
    private static final int LEFT = 64;
    private static final int RIGHT = 10;
    private static final int TOP = 26;
    private static final int BOTTOM = 34;

    private SvgChart() {
    }

    /**
     * @param title  drawn above the chart
     * @param series each member's points, oldest first
     * @param value  what to draw of a point
     * @param label  how a value reads on the axis (with its unit)
     * @param windowMillis how much time the x axis spans, ending at {@code nowMillis}
     */
    public static String draw(String title, Map<String, List<MetricsSampler.Point>> series,
                              ToDoubleFunction<MetricsSampler.Point> value, DoubleFunction<String> label,
                              long nowMillis, long windowMillis) {
        double max = series.values().stream().flatMap(List::stream).mapToDouble(value).filter(Double::isFinite)
                .max().orElse(0);
        double top = max <= 0 ? 1 : max * 1.1;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        long start = nowMillis - windowMillis;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns='http://www.w3.org/2000/svg' class='chart' role='img' viewBox='0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("' aria-label='").append(HtmlText.escape(title)).append("'>");
        svg.append("<text x='4' y='16' class='chart-title'>").append(HtmlText.escape(title)).append("</text>");
        svg.append("<line x1='").append(LEFT).append("' y1='").append(TOP + plotH).append("' x2='").append(LEFT + plotW)
                .append("' y2='").append(TOP + plotH).append("' class='chart-axis'/>");
        svg.append("<line x1='").append(LEFT).append("' y1='").append(TOP).append("' x2='").append(LEFT + plotW)
                .append("' y2='").append(TOP).append("' class='chart-grid'/>");
        svg.append("<text x='").append(LEFT - 4).append("' y='").append(TOP + 4).append("' class='chart-label' text-anchor='end'>")
                .append(HtmlText.escape(label.apply(top))).append("</text>");
        svg.append("<text x='").append(LEFT - 4).append("' y='").append(TOP + plotH).append("' class='chart-label' text-anchor='end'>")
                .append(HtmlText.escape(label.apply(0))).append("</text>");
        svg.append("<text x='").append(LEFT).append("' y='").append(TOP + plotH + 14).append("' class='chart-label'>−")
                .append(windowMillis / 60_000).append(" min</text>");
        svg.append("<text x='").append(LEFT + plotW).append("' y='").append(TOP + plotH + 14)
                .append("' class='chart-label' text-anchor='end'>now</text>");
        int i = 0;
        int legendX = LEFT;
        for (Map.Entry<String, List<MetricsSampler.Point>> e : series.entrySet()) {
            String color = COLORS[i++ % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (MetricsSampler.Point p : e.getValue()) {
                double v = value.applyAsDouble(p);
                if (!Double.isFinite(v) || p.atMillis() < start) {
                    continue;
                }
                double x = LEFT + plotW * (double) (p.atMillis() - start) / windowMillis;
                double y = TOP + plotH - plotH * (v / top);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("<polyline fill='none' stroke='").append(color).append("' stroke-width='1.6' points='")
                    .append(pts.toString().strip()).append("'><title>").append(HtmlText.escape(e.getKey())).append("</title></polyline>");
            svg.append("<text x='").append(legendX).append("' y='").append(HEIGHT - 4).append("' fill='").append(color)
                    .append("' class='chart-legend'>").append(HtmlText.escape(e.getKey())).append("</text>");
            legendX += 8 + 7 * Math.min(e.getKey().length(), 16);
        }
        if (series.isEmpty()) {
            svg.append("<text x='").append(LEFT + plotW / 2).append("' y='").append(TOP + plotH / 2)
                    .append("' class='chart-label' text-anchor='middle'>no samples yet</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Bytes as people read them: 1.5 MiB. */
    public static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }

    /** A number with at most one decimal and its unit. */
    public static String number(double v, String unit) {
        String n = v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        return unit.isEmpty() ? n : n + " " + unit;
    }
}
