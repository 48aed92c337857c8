package io.cairn.cli;

import io.cairn.client.Header;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A JSON object written field by field, for the records cairnctl's own commands print with
 * {@code -w json} (the registry's, the config center's): unlike {@link GoJson}, which mimics
 * etcd's omitempty, every field is present, numbers are JSON numbers, a null string is written
 * as "" and a map is sorted by key.
 */
final class JsonRecord {
    private final StringBuilder out = new StringBuilder("{");

    /** The answering member's header, etcd's way; null is left out. */
    JsonRecord header(Header h) {
        return h == null ? this : raw("header", GoJson.headerObject(h));
    }

    JsonRecord string(String name, String value) {
        return raw(name, GoJson.quote(value == null ? "" : value));
    }

    JsonRecord number(String name, long value) {
        return raw(name, Long.toString(value));
    }

    JsonRecord bool(String name, boolean value) {
        return raw(name, Boolean.toString(value));
    }

    <T> JsonRecord array(String name, List<T> items, Function<T, String> each) {
        return raw(name, items.stream().map(each).collect(Collectors.joining(",", "[", "]")));
    }

    /** String values as an object, sorted by key. */
    JsonRecord map(String name, Map<String, String> values) {
        JsonRecord j = new JsonRecord();
        new TreeMap<>(values).forEach(j::string);
        return raw(name, j.end());
    }

    /** A field whose value is JSON already. */
    JsonRecord raw(String name, String json) {
        if (out.length() > 1) {
            out.append(',');
        }
        out.append(GoJson.quote(name)).append(':').append(json);
        return this;
    }

    String end() {
        return out.append('}').toString();
    }
}
