package io.cairn.console.views.services;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Instance metadata as text an operator edits: one {@code key=value} a line, and back. */
public final class MetadataText {
    private MetadataText() {
    }

    /** {@code k=v} lines, sorted by key so that the same metadata always reads the same. */
    public static String lines(Map<String, String> metadata) {
        return new TreeMap<>(metadata).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** The same on one line, for a grid cell: {@code k=v, k2=v2}. */
    public static String inline(Map<String, String> metadata) {
        return lines(metadata).replace("\n", ", ");
    }

    /**
     * The entries of {@code text}: blank lines are skipped, each other line splits at its first
     * "=" (so values may hold "="), keys and values trimmed.
     *
     * @throws IllegalArgumentException naming the first line that is not {@code key=value}
     */
    public static Map<String, String> parse(String text) {
        Map<String, String> metadata = new LinkedHashMap<>();
        String[] lines = text == null ? new String[0] : text.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || line.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException("line " + (n + 1) + " \"" + line + "\" is not key=value");
            }
            String key = line.substring(0, eq).trim();
            if (metadata.put(key, line.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("line " + (n + 1) + ": \"" + key + "\" is given twice");
            }
        }
        return metadata;
    }

    /** The entries of {@code merged} that {@code defaults} do not explain: absent there, or with another value. */
    public static Map<String, String> ownEntries(Map<String, String> merged, Map<String, String> defaults) {
        Map<String, String> own = new TreeMap<>();
        merged.forEach((k, v) -> {
            if (!v.equals(defaults.get(k))) {
                own.put(k, v);
            }
        });
        return own;
    }
}
