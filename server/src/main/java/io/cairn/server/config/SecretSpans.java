package io.cairn.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cairn.api.config.Format;
import io.cairn.server.errors.ServerError;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where the values of secret keys stand in a config's text: for each key of a properties config,
 * or path of a YAML or JSON one, the characters of its value as written (quotes and escapes
 * included), so that they can be replaced by a sealed token and put back exactly.
 *
 * <p>A path is names joined by dots, with [n] for a list's n-th item: {@code db.password},
 * {@code servers[0].token}. A name may itself hold dots, as Spring's flat keys do
 * ({@code spring.datasource.password} as one key of a YAML mapping), so either spelling finds it.
 */
final class SecretSpans {
    /** The value of one secret key: content[start, end), and what it means (unquoted, unescaped). */
    record Span(String key, int start, int end, String value) {
    }

    private SecretSpans() {
    }

    /**
     * The spans of the values of {@code keys} in {@code content}, in text order, each once. A key
     * the content lacks has none; one that names a mapping or list is refused, so that nothing
     * meant secret is left in clear.
     */
    static List<Span> find(Format format, String content, List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<Span> spans = switch (format) {
            case PROPERTIES -> properties(content, keys);
            case YAML -> yaml(content, keys);
            case JSON -> json(content, keys);
            default -> throw ServerError.CONFIG_INVALID.exception(
                    "secret keys need a properties, yaml or json config; mark a " + format + " config secret as a whole");
        };
        spans.sort((a, b) -> Integer.compare(a.start(), b.start()));
        for (int i = 1; i < spans.size(); i++) {
            if (spans.get(i).start() < spans.get(i - 1).end()) {
                spans.remove(i--); // one value reached by two paths (a YAML alias): sealed once
            }
        }
        return spans;
    }

    /** Whether {@code path} names the value reached by {@code steps} (names and list indexes). */
    static boolean matches(String path, List<Object> steps) {
        return matches(path, steps, 0);
    }

    private static boolean matches(String rest, List<Object> steps, int i) {
        if (i == steps.size()) {
            return rest.isEmpty();
        }
        String step = steps.get(i) instanceof Integer n ? "[" + n + "]" : String.valueOf(steps.get(i));
        if (!rest.startsWith(step)) {
            return false;
        }
        String after = rest.substring(step.length());
        if (after.startsWith(".")) {
            after = after.substring(1);
        } else if (!after.isEmpty() && !after.startsWith("[")) {
            return false;
        }
        return matches(after, steps, i + 1);
    }

    private static List<Span> properties(String content, List<String> keys) {
        List<Span> spans = new ArrayList<>();
        int pos = 0;
        while (pos < content.length()) {
            // one logical line: physical lines joined where one ends in an odd number of backslashes
            StringBuilder logical = new StringBuilder();
            List<Integer> offsets = new ArrayList<>();
            boolean first = true;
            while (pos < content.length()) {
                while (pos < content.length() && " \t\f".indexOf(content.charAt(pos)) >= 0) {
                    pos++;
                }
                if (first && pos < content.length() && (content.charAt(pos) == '#' || content.charAt(pos) == '!')) {
                    pos = endOfLine(content, pos);
                    pos = nextLine(content, pos);
                    continue;
                }
                first = false;
                int end = endOfLine(content, pos);
                int backslashes = 0;
                for (int i = end - 1; i >= pos && content.charAt(i) == '\\'; i--) {
                    backslashes++;
                }
                int kept = backslashes % 2 == 1 ? end - 1 : end;
                for (int i = pos; i < kept; i++) {
                    logical.append(content.charAt(i));
                    offsets.add(i);
                }
                pos = nextLine(content, end);
                if (backslashes % 2 == 0) {
                    break;
                }
            }
            if (logical.length() > 0) {
                Span span = propertiesValue(logical, offsets, keys);
                if (span != null) {
                    spans.add(span);
                }
            }
        }
        return spans;
    }

    private static Span propertiesValue(StringBuilder logical, List<Integer> offsets, List<String> keys) {
        int i = 0;
        while (i < logical.length() && " \t\f=:".indexOf(logical.charAt(i)) < 0) {
            i += logical.charAt(i) == '\\' ? 2 : 1;
        }
        while (i < logical.length() && " \t\f".indexOf(logical.charAt(i)) >= 0) {
            i++;
        }
        if (i < logical.length() && (logical.charAt(i) == '=' || logical.charAt(i) == ':')) {
            i++;
        }
        while (i < logical.length() && " \t\f".indexOf(logical.charAt(i)) >= 0) {
            i++;
        }
        Properties one = new Properties();
        try {
            one.load(new StringReader(logical.toString()));
        } catch (IOException | IllegalArgumentException e) {
            return null; // the format check refuses it
        }
        String key = one.stringPropertyNames().stream().findFirst().orElse(null);
        if (key == null || !keys.contains(key)) {
            return null;
        }
        int end = offsets.get(logical.length() - 1) + 1;
        int start = i < logical.length() ? offsets.get(i) : end; // an empty value: at the line's end
        return new Span(key, start, end, one.getProperty(key));
    }

    private static int endOfLine(String content, int pos) {
        while (pos < content.length() && content.charAt(pos) != '\n' && content.charAt(pos) != '\r') {
            pos++;
        }
        return pos;
    }

    private static int nextLine(String content, int pos) {
        if (pos < content.length() && content.charAt(pos) == '\r') {
            pos++;
        }
        if (pos < content.length() && content.charAt(pos) == '\n') {
            pos++;
        }
        return pos;
    }

    private static List<Span> yaml(String content, List<String> keys) {
        List<Span> spans = new ArrayList<>();
        boolean[] merged = {false};
        try {
            for (Node document : YamlDocuments.compose(content)) {
                walk(content, document, new ArrayList<>(), keys, spans, new IdentityHashMap<>(), merged);
            }
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            // the parser's own words may quote the line, a secret's among them: only its position and kind
            throw ConfigFormats.bad("yaml", YamlDocuments.describe(e));
        }
        if (merged[0]) {
            // a value reached through a merge key (<<) stands elsewhere, under another path: it would stay in clear
            for (String key : keys) {
                if (spans.stream().noneMatch(sp -> sp.key().equals(key))) {
                    throw ServerError.CONFIG_INVALID.exception("secret key " + key + " names no value written in place "
                            + "(one merged in with << cannot be sealed): write it under its own path");
                }
            }
        }
        return spans;
    }

    private static void walk(String content, Node node, List<Object> steps, List<String> keys, List<Span> spans,
                             Map<Node, Boolean> onPath, boolean[] merged) {
        if (node == null || onPath.put(node, true) != null) {
            return; // a recursive alias
        }
        String named = named(steps, keys);
        if (node instanceof ScalarNode scalar) {
            if (named != null) {
                int start = content.offsetByCodePoints(0, scalar.getStartMark().getIndex());
                int end = content.offsetByCodePoints(0, scalar.getEndMark().getIndex());
                // a block scalar (| or >) ends after its line breaks: they stay outside the seal
                while (end > start && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
                    end--;
                }
                if (end > start && (content.charAt(start) == '&' || content.charAt(start) == '!' || scalar.getAnchor() != null)) {
                    throw ServerError.CONFIG_INVALID.exception("secret key " + named
                            + " names a value with an anchor or a tag: write it plainly to seal it");
                }
                if (end > start) { // an empty value holds nothing secret
                    spans.add(new Span(named, start, end, scalar.getValue()));
                }
            }
        } else if (named != null) {
            throw ServerError.CONFIG_INVALID.exception("secret key " + named + " names a "
                    + (node instanceof MappingNode ? "mapping" : "list") + ", not a single value");
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple t : mapping.getValue()) {
                merged[0] |= t.getKeyNode().getTag().equals(org.yaml.snakeyaml.nodes.Tag.MERGE);
                if (t.getKeyNode() instanceof ScalarNode key) {
                    steps.add(key.getValue());
                    walk(content, t.getValueNode(), steps, keys, spans, onPath, merged);
                    steps.remove(steps.size() - 1);
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                steps.add(i);
                walk(content, sequence.getValue().get(i), steps, keys, spans, onPath, merged);
                steps.remove(steps.size() - 1);
            }
        }
        onPath.remove(node);
    }

    private static String named(List<Object> steps, List<String> keys) {
        for (String key : keys) {
            if (!steps.isEmpty() && matches(key, steps)) {
                return key;
            }
        }
        return null;
    }

    private static List<Span> json(String content, List<String> keys) {
        List<Span> spans = new ArrayList<>();
        List<Object> steps = new ArrayList<>(); // the path to the value at hand
        Deque<int[]> open = new ArrayDeque<>(); // per open array, the index of its next item; -1 for an object
        try (JsonParser parser = ConfigFormats.JSON.createParser(content)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    steps.add(parser.currentName());
                    continue;
                }
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    open.pop();
                    valueDone(steps, open);
                    continue;
                }
                if (!open.isEmpty() && open.peek()[0] >= 0) {
                    steps.add(open.peek()[0]++);
                }
                String named = named(steps, keys);
                if (token.isScalarValue()) {
                    if (named != null) {
                        int start = (int) parser.currentTokenLocation().getCharOffset();
                        String value = parser.getText(); // reads a string to its end, for the end offset
                        spans.add(new Span(named, start, (int) parser.currentLocation().getCharOffset(), value));
                    }
                    valueDone(steps, open);
                } else {
                    if (named != null) {
                        throw ServerError.CONFIG_INVALID.exception("secret key " + named + " names "
                                + (token == JsonToken.START_OBJECT ? "an object" : "an array") + ", not a single value");
                    }
                    open.push(new int[] {token == JsonToken.START_ARRAY ? 0 : -1});
                }
            }
        } catch (JacksonException e) {
            return spans; // the format check refuses it, with its line
        } catch (IOException e) {
            throw new IllegalStateException("a string does not fail to read", e);
        }
        return spans;
    }

    /** A value inside an object or array ended: so did the step (name or index) that led to it. */
    private static void valueDone(List<Object> steps, Deque<int[]> open) {
        if (!open.isEmpty()) {
            steps.remove(steps.size() - 1);
        }
    }
}
