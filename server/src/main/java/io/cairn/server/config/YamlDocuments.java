package io.cairn.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.server.errors.ServerError;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML content read the one safe way: into maps, lists, strings, numbers, booleans and nulls only.
 * Every document of a stream is read. A tag in YAML's own namespace that YAML does not define (a
 * Java class name such as {@code !!java.net.URL}) is refused; any other tag ({@code !Ref},
 * {@code !<tag:example.com,2024:x>}) is kept as the plain value it tags. No tag ever names a type
 * to build. Timestamps stay the text written. Limits: at most {@value #MAX_ALIASES} aliases to collections (a "billion laughs" is
 * refused long before it grows), nesting at most {@value #MAX_DEPTH} deep, no recursive keys and
 * no duplicate keys.
 */
final class YamlDocuments {
    static final int MAX_ALIASES = 50;
    static final int MAX_DEPTH = 64;
    /** Size is checked before content is; this only backs that check. */
    static final int MAX_CODE_POINTS = 16 * 1024 * 1024;

    private YamlDocuments() {
    }

    /**
     * The documents of {@code content} as plain Java values; none for empty content.
     *
     * @throws YAMLException if it is not YAML within the limits
     */
    static List<Object> load(String content) {
        List<Object> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(content)) {
            documents.add(document);
        }
        return documents;
    }

    /** The node graph of each document, with the marks of where each node starts. */
    static List<Node> compose(String content) {
        List<Node> documents = new ArrayList<>();
        for (Node document : yaml().composeAll(new StringReader(content))) {
            documents.add(document);
        }
        return documents;
    }

    /** One short line for a YAML error: {@code line 3, column 7: reason}, 1-based. */
    static String describe(YAMLException e) {
        if (e instanceof MarkedYAMLException marked) {
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
            if (mark != null) {
                return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + problem;
            }
            return String.valueOf(problem);
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * A document as a JSON tree, for a JSON Schema: map keys become strings, binary becomes
     * base64 text. Aliases are expanded, so their total is bounded: at most {@code maxNodes}
     * values.
     *
     * @throws io.cairn.server.errors.ServerException CONFIG_BAD_CONTENT for a structure that
     *     contains itself or expands past the bound
     */
    static JsonNode toJson(Object document, int maxNodes) {
        return new JsonConversion(maxNodes).convert(document);
    }

    /**
     * The 1-based line where the value at {@code path} (names and indexes from the root) starts in
     * a composed document, or 0 if the path cannot be followed (through a merge key, say).
     */
    static int lineOf(Node document, List<Object> path) {
        Node node = document;
        for (Object step : path) {
            node = child(node, step);
            if (node == null) {
                return 0;
            }
        }
        return node.getStartMark().getLine() + 1;
    }

    private static Node child(Node node, Object step) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(String.valueOf(step))) {
                    return tuple.getValueNode();
                }
            }
        } else if (node instanceof SequenceNode sequence && step instanceof Integer index
                && index < sequence.getValue().size()) {
            return sequence.getValue().get(index);
        }
        return null;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setProcessComments(false);
        return new Yaml(new PlainConstructor(options));
    }

    /** SafeConstructor, with timestamps kept as text and tags it does not know taken as plain values. */
    private static final class PlainConstructor extends SafeConstructor {
        PlainConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            yamlConstructors.put(null, new ConstructUntagged());
        }

        private final class ConstructUntagged extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                if (node instanceof ScalarNode scalar) {
                    return constructScalar(scalar);
                }
                if (node instanceof SequenceNode sequence) {
                    return constructSequence(sequence);
                }
                return constructMapping((MappingNode) node);
            }
        }
    }

    private static final class JsonConversion {
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
        private final Map<Object, Boolean> open = new IdentityHashMap<>();
        private int budget;

        JsonConversion(int maxNodes) {
            this.budget = maxNodes;
        }

        JsonNode convert(Object value) {
            if (--budget < 0) {
                throw ServerError.CONFIG_BAD_CONTENT.exception("yaml: its aliases expand to too many values");
            }
            if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
                if (open.put(value, Boolean.TRUE) != null) {
                    throw ServerError.CONFIG_BAD_CONTENT.exception("yaml: a structure that contains itself has no JSON form");
                }
                JsonNode node = value instanceof Map<?, ?> map ? object(map) : array((Collection<?>) value);
                open.remove(value);
                return node;
            }
            if (value == null) {
                return NODES.nullNode();
            }
            if (value instanceof String || value instanceof Boolean || value instanceof Number) {
                return ConfigFormats.JSON.valueToTree(value);
            }
            if (value instanceof byte[] bytes) {
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            return NODES.textNode(String.valueOf(value));
        }

        private ObjectNode object(Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                node.set(String.valueOf(e.getKey()), convert(e.getValue()));
            }
            return node;
        }

        private ArrayNode array(Collection<?> items) {
            ArrayNode node = NODES.arrayNode();
            for (Object item : items) {
                node.add(convert(item));
            }
            return node;
        }
    }
}
