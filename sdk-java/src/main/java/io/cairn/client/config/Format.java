package io.cairn.client.config;

import java.util.Locale;

/** How a config's content is written; the server refuses content that does not parse as its format. */
public enum Format {
    /** Any text; never parsed. */
    TEXT,
    /** Java properties, as {@link java.util.Properties#load(java.io.Reader)} reads them. */
    PROPERTIES,
    YAML,
    JSON,
    XML;

    /**
     * The format a file's name suggests: .properties, .yaml or .yml, .json, .xml (in any case);
     * anything else is {@link #TEXT}.
     */
    public static Format fromFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        int dot = name.lastIndexOf('.');
        if (dot <= slash) {
            return TEXT;
        }
        return switch (name.substring(dot + 1)) {
            case "properties" -> PROPERTIES;
            case "yaml", "yml" -> YAML;
            case "json" -> JSON;
            case "xml" -> XML;
            default -> TEXT;
        };
    }
}
