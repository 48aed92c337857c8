package io.cairn.server.robust;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The run's latency over time as an SVG chart a browser opens: per half second, the median, the
 * 99th percentile and the slowest answered operation (log scale), the operations whose answer
 * never came as red ticks at the top, and each fault as a labelled line.
 */
final class LatencyChart {
    /** One operation: when it was invoked and how long its answer took (-1: it never came), since the run's start. */
    record Op(long invokedNanos, long latencyNanos) {
    }

    private static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 420;
    private static final int LEFT = 60;
    private static final int TOP = 20;
    private static final int PLOT_HEIGHT = 320;
    /** The latency axis, in ms: 0.1 ms to 100 s. */
    private static final double MIN_LOG = -1;
    private static final double MAX_LOG = 5;

    private LatencyChart() {
    }

    /**
     * @param ops    the operations
     * @param faults the faults as the report lists them: "1234 ms: what happened"
     */
    static String svg(String title, List<Op> ops, List<String> faults) {
        long last = ops.stream().mapToLong(Op::invokedNanos).max().orElse(0);
        int buckets = (int) (last / BUCKET_NANOS) + 1;
        List<List<Long>> answered = new ArrayList<>();
        int[] unanswered = new int[buckets];
        for (int b = 0; b < buckets; b++) {
            answered.add(new ArrayList<>());
        }
        for (Op op : ops) {
            int b = (int) (op.invokedNanos() / BUCKET_NANOS);
            if (op.latencyNanos() < 0) {
                unanswered[b]++;
            } else {
                answered.get(b).add(op.latencyNanos());
            }
        }
        double secondsWide = Math.max(1, buckets * BUCKET_NANOS / 1e9);
        double plotWidth = WIDTH - LEFT - 20;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n<text x=\"%d\" y=\"14\" font-size=\"13\">%s</text>%n",
                WIDTH, HEIGHT, LEFT, escape(title)));
        for (int exp = (int) MIN_LOG; exp <= MAX_LOG; exp++) {
            double y = y(Math.pow(10, exp));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"4\" y=\"%.1f\">%s ms</text>%n", LEFT, WIDTH - 20, y, y, y + 4, exp < 0 ? "0.1" : String.valueOf((long) Math.pow(10, exp))));
        }
        for (int s = 0; s <= secondsWide; s += Math.max(1, (int) (secondsWide / 12))) {
            double x = LEFT + s / secondsWide * plotWidth;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%d s</text>%n", x, TOP + PLOT_HEIGHT + 14, s));
        }
        String[] colours = {"#2a7", "#e90", "#c33"};
        String[] names = {"median", "p99", "slowest"};
        double[] quantiles = {0.5, 0.99, 1.0};
        for (int q = 0; q < quantiles.length; q++) {
            StringBuilder points = new StringBuilder();
            for (int b = 0; b < buckets; b++) {
                long[] sorted = answered.get(b).stream().mapToLong(Long::longValue).sorted().toArray();
                if (sorted.length == 0) {
                    continue;
                }
                long nanos = sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantiles[q] * sorted.length) - 1)];
                double x = LEFT + (b + 0.5) * BUCKET_NANOS / 1e9 / secondsWide * plotWidth;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(nanos / 1e6)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.2\" points=\"%s\"/>%n"
                    + "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", colours[q], points, LEFT + 300 + q * 80, 14, colours[q], names[q]));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" fill=\"red\">| unanswered</text>%n", LEFT + 540));
        for (int b = 0; b < buckets; b++) {
            if (unanswered[b] > 0) {
                double x = LEFT + (b + 0.5) * BUCKET_NANOS / 1e9 / secondsWide * plotWidth;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"red\" stroke-width=\"2\">"
                        + "<title>%d unanswered</title></line>%n", x, x, TOP, TOP + 8 + Math.min(20, unanswered[b]), unanswered[b]));
            }
        }
        int row = 0;
        for (String fault : faults) {
            int colon = fault.indexOf(" ms: ");
            if (colon < 0) {
                continue;
            }
            double x = LEFT + Long.parseLong(fault.substring(0, colon)) / 1000.0 / secondsWide * plotWidth;
            int labelY = TOP + PLOT_HEIGHT + 30 + (row++ % 4) * 14;
            boolean right = x > WIDTH - 200; // a label near the right edge ends at its line
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#36c\" stroke-dasharray=\"3,3\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" fill=\"#36c\" text-anchor=\"%s\">%s</text>%n", x, x, TOP, labelY - 10,
                    right ? x - 2 : x + 2, labelY, right ? "end" : "start", escape(fault.substring(colon + 5))));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double y(double ms) {
        double log = Math.log10(Math.max(ms, Math.pow(10, MIN_LOG)));
        return TOP + PLOT_HEIGHT - (Math.min(log, MAX_LOG) - MIN_LOG) / (MAX_LOG - MIN_LOG) * PLOT_HEIGHT;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
