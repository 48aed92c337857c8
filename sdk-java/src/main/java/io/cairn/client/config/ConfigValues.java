package io.cairn.client.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A config's content as flat keys and values, the way Spring reads property sources: properties
 * as they are; YAML and JSON flattened, nested maps joined with dots and list items indexed.
 * XML and text have no values, only their {@link #content()}.
 *
 * <pre>{@code
 * server:                        server.port        -> 8080
 *   port: 8080                   server.hosts[0]    -> a
 *   hosts: [a, b]                server.hosts[1]    -> b
 *   tls: {enabled: true}         server.tls.enabled -> true
 *   none:                        server.none        -> ""   (null, and an empty list, read as "")
 * }</pre>
 *
 * <p>Immutable and thread-safe. Keys keep the document's order; for YAML with several documents
 * a later document's value replaces an earlier one's, in the earlier one's place.
 */
public final class ConfigValues {
    /** No content at all. */
    public static final ConfigValues EMPTY = new ConfigValues(Format.TEXT, "", Map.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Format format;
    private final String content;
    private final Map<String, String> values;

    private ConfigValues(Format format, String content, Map<String, String> values) {
        this.format = format;
        this.content = content;
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Parses content of a format.
     *
     * @throws IllegalArgumentException when the content does not parse as its format, with the
     *                                  parser's message (which names the line where it can)
     */
    public static ConfigValues parse(Format format, String content) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(content, "content");
        Map<String, String> flat = new LinkedHashMap<>();
        switch (format) {
            case PROPERTIES -> readProperties(content, flat);
            case YAML -> readYaml(content, flat);
            case JSON -> readJson(content, flat);
            case XML, TEXT -> {
                // no keys: the raw content is all there is
            }
        }
        return new ConfigValues(format, content, flat);
    }

    /** {@link #parse} of a config's content; a delete has no values. */
    public static ConfigValues of(Config config) {
        return parse(config.format(), config.content());
    }

    public Format format() {
        return format;
    }

    /** The content as published. */
    public String content() {
        return content;
    }

    /** Every key and its value, in the document's order. */
    public Map<String, String> asMap() {
        return values;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The value of {@code key}, such as "server.port" or "server.hosts[0]". */
    public Optional<String> getString(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String getString(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** @throws IllegalArgumentException when the value is not a whole number within int's range */
    public OptionalInt getInt(String key) {
        return getString(key).map(v -> OptionalInt.of(convert(key, v, "an int", s -> Integer.parseInt(s.trim()))))
                .orElse(OptionalInt.empty());
    }

    /** @throws IllegalArgumentException when the value is not a whole number within int's range */
    public int getInt(String key, int defaultValue) {
        return getInt(key).orElse(defaultValue);
    }

    /** @throws IllegalArgumentException when the value is not a whole number within long's range */
    public OptionalLong getLong(String key) {
        return getString(key).map(v -> OptionalLong.of(convert(key, v, "a long", s -> Long.parseLong(s.trim()))))
                .orElse(OptionalLong.empty());
    }

    /** @throws IllegalArgumentException when the value is not a whole number within long's range */
    public long getLong(String key, long defaultValue) {
        return getLong(key).orElse(defaultValue);
    }

    /** @throws IllegalArgumentException when the value is not a number */
    public OptionalDouble getDouble(String key) {
        return getString(key).map(v -> OptionalDouble.of(convert(key, v, "a number", s -> Double.parseDouble(s.trim()))))
                .orElse(OptionalDouble.empty());
    }

    /** @throws IllegalArgumentException when the value is not a number */
    public double getDouble(String key, double defaultValue) {
        return getDouble(key).orElse(defaultValue);
    }

    /** "true" or "false", in any case. @throws IllegalArgumentException for any other value */
    public Optional<Boolean> getBoolean(String key) {
        return getString(key).map(v -> convert(key, v, "a boolean", s -> {
            if (s.trim().equalsIgnoreCase("true")) {
                return true;
            } else if (s.trim().equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException(s);
        }));
    }

    /** @throws IllegalArgumentException for a value other than "true" or "false" */
    public boolean getBoolean(String key, boolean defaultValue) {
        return getBoolean(key).orElse(defaultValue);
    }

    /**
     * A list: the items {@code key[0]}, {@code key[1]} ... while they go on; else the value of
     * {@code key} split at commas (as Spring binds "a, b" to a list), trimmed; else empty.
     */
    public List<String> getList(String key) {
        List<String> items = new ArrayList<>();
        for (int i = 0; values.containsKey(key + "[" + i + "]"); i++) {
            items.add(values.get(key + "[" + i + "]"));
        }
        if (!items.isEmpty()) {
            return List.copyOf(items);
        }
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.split(",")).stream().map(String::trim).toList();
    }

    private static <T> T convert(String key, String value, String what, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the config value of " + key + " is not " + what + ": \"" + value + "\"", e);
        }
    }

    private static void readProperties(String content, Map<String, String> flat) {
        Properties ordered = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                flat.put((String) key, (String) value);
                return super.put(key, value);
            }
        };
        try {
            ordered.load(new StringReader(content));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not properties: " + e.getMessage(), e);
        }
    }

    private static void readYaml(String content, Map<String, String> flat) {
        try {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(content)) {
                flatten("", document, flat);
            }
        } catch (YAMLException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
    }

    private static void readJson(String content, Map<String, String> flat) {
        try {
            flatten("", JSON.readValue(content, Object.class), flat);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()), e);
        }
    }

    /** Spring's flattening: "a.b" for nested maps, "a[0]" for list items, "" for null and empty lists. */
    private static void flatten(String path, Object value, Map<String, String> flat) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                String child = path.isEmpty() || name.startsWith("[") ? path + name : path + "." + name;
                flatten(child, e.getValue(), flat);
            }
        } else if (value instanceof Collection<?> items) {
            if (items.isEmpty() && !path.isEmpty()) {
                flat.put(path, "");
            }
            int i = 0;
            for (Object item : items) {
                flatten(path + "[" + i++ + "]", item, flat);
            }
        } else if (!path.isEmpty()) { // a document that is a lone scalar has no key to go under
            flat.put(path, value == null ? "" : String.valueOf(value));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigValues v && format == v.format && content.equals(v.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, content);
    }

    @Override
    public String toString() {
        return "ConfigValues[" + format + ", " + values.size() + " keys]";
    }
}
