package io.cairn.console.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Prometheus' text exposition format, as members serve it on /metrics: one sample per
 * line, {@code name{label="value",...} number}; comments and blank lines skipped. Enough for the
 * dashboard, which needs counters, gauges and histogram buckets, not timestamps or exemplars.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** One sample: a series name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Sample s = parseLine(l);
            if (s != null) {
                samples.add(s);
            }
        }
        return samples;
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        String rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int end = parseLabels(line, brace + 1, labels);
            if (end < 0) {
                return null;
            }
            rest = line.substring(end + 1).strip();
        } else if (space > 0) {
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        } else {
            return null;
        }
        String number = rest.split("\\s+")[0];
        try {
            return new Sample(name, labels, parseNumber(number));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Fills {@code labels} from {@code a="x",b="y"}; returns the index of the closing brace, or -1. */
    private static int parseLabels(String line, int from, Map<String, String> labels) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(v);
                }
            }
            labels.put(line.substring(i, eq).strip(), value.toString());
            i = j + 1;
        }
        return -1;
    }

    private static double parseNumber(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }
}
