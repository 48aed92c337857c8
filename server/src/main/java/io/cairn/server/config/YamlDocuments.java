package io.cairn.server.config;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
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
}
