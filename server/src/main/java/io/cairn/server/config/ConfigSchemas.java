package io.cairn.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.DialectId;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import io.cairn.api.config.Format;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * JSON Schema checks of YAML and JSON configs, with networknt's validator. A schema without
 * {@code $schema} is draft 2020-12; drafts 4, 6, 7 and 2019-09 are taken when named. Nothing is
 * ever fetched: a {@code $ref} resolves only within the schema itself, and the drafts' own
 * meta-schemas come bundled. {@code format} is an annotation, as the drafts since 2019-09 say.
 *
 * <p>Compiled schemas are kept by their text, the {@value #CACHED} used last, since one schema
 * checks every publish of its config. Thread-safe.
 */
public final class ConfigSchemas {
    static final int CACHED = 32;
    /** The failures a refusal names; the rest are counted. */
    static final int NAMED = 3;

    private static final SchemaRegistryConfig CONFIG = SchemaRegistryConfig.builder()
            .pathType(PathType.JSON_PATH)
            .locale(Locale.ENGLISH)
            .preloadSchema(true)
            .build();
    private static final Map<String, Schema> META = new ConcurrentHashMap<>();
    private static final Map<String, Schema> COMPILED = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Schema> eldest) {
            return size() > CACHED;
        }
    };

    private ConfigSchemas() {
    }

    /**
     * @throws ServerException CONFIG_INVALID ({@code json schema: ...}) if {@code jsonSchema} is
     *     not JSON, not valid against its draft's meta-schema, or names a {@code $ref} or
     *     {@code $schema} that cannot be resolved without fetching
     */
    public static void checkSchema(String jsonSchema) {
        compiled(jsonSchema);
    }

    /**
     * Checks {@code content}, read as {@code format}, against {@code jsonSchema}. Every document of
     * a YAML stream must satisfy it; empty YAML is one null document.
     *
     * @throws ServerException CONFIG_SCHEMA_VIOLATION naming the first failures (instance path,
     *     line, message); CONFIG_INVALID for a bad schema or a format other than YAML and JSON;
     *     CONFIG_BAD_CONTENT for content that does not parse as its format
     */
    public static void validate(String jsonSchema, Format format, String content) {
        if (format != Format.YAML && format != Format.JSON) {
            throw ServerError.CONFIG_INVALID.exception("a JSON schema applies only to yaml and json configs");
        }
        Schema schema = compiled(jsonSchema);
        List<JsonNode> documents = format == Format.JSON ? List.of(ConfigFormats.readJson(content)) : yamlDocuments(content);
        for (int d = 0; d < documents.size(); d++) {
            List<Error> errors = schema.validate(documents.get(d));
            if (!errors.isEmpty()) {
                int document = d;
                String where = documents.size() > 1 ? "document " + (d + 1) + ": " : "";
                throw ServerError.CONFIG_SCHEMA_VIOLATION.exception(where + describe(errors,
                        path -> format == Format.JSON ? jsonLine(content, path) : yamlLine(content, document, path)));
            }
        }
    }

    private static Schema compiled(String jsonSchema) {
        synchronized (COMPILED) {
            Schema cached = COMPILED.get(jsonSchema);
            if (cached != null) {
                return cached;
            }
        }
        Schema schema = compile(jsonSchema);
        synchronized (COMPILED) {
            COMPILED.put(jsonSchema, schema);
        }
        return schema;
    }

    private static Schema compile(String jsonSchema) {
        JsonNode node;
        try {
            node = ConfigFormats.readJson(jsonSchema);
        } catch (ServerException e) {
            throw invalid(e.detail().replaceFirst("^json: ", ""));
        }
        String dialect = node.path("$schema").isTextual() ? node.get("$schema").asText() : DialectId.DRAFT_2020_12;
        Schema meta;
        try {
            meta = META.computeIfAbsent(dialect, id -> registry().getSchema(SchemaLocation.of(id)));
        } catch (RuntimeException e) {
            throw invalid("$schema " + dialect + " is no draft this server knows (" + reason(e) + ")");
        }
        List<Error> errors = meta.validate(node);
        if (!errors.isEmpty()) {
            throw invalid(describe(errors, path -> jsonLine(jsonSchema, path)));
        }
        try {
            // Each schema gets a registry of its own: two schemas with the same $id never mix.
            Schema schema = registry().getSchema(node);
            schema.initializeValidators();
            return schema;
        } catch (RuntimeException e) {
            throw invalid(reason(e));
        }
    }

    private static SchemaRegistry registry() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(CONFIG)
                .schemaLoader(loader -> loader.fetchRemoteResources(false)));
    }

    /** The library's reason, or for a resource it would have to fetch, that it is not fetched. */
    private static String reason(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileNotFoundException missing) {
                return "cannot resolve " + missing.getMessage() + ": nothing outside the schema is fetched";
            }
        }
        return String.valueOf(e.getMessage());
    }

    private static ServerException invalid(String reason) {
        return ServerError.CONFIG_INVALID.exception("json schema: " + reason);
    }

    private static List<JsonNode> yamlDocuments(String content) {
        List<Object> loaded;
        try {
            loaded = YamlDocuments.load(content);
        } catch (YAMLException e) {
            throw ConfigFormats.bad("yaml", YamlDocuments.describe(e));
        }
        if (loaded.isEmpty()) {
            loaded = new ArrayList<>();
            loaded.add(null);
        }
        // No document without aliases has more values than twice its characters.
        int maxNodes = 2 * content.length() + 10_000;
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : loaded) {
            documents.add(YamlDocuments.toJson(document, maxNodes));
        }
        return documents;
    }

    /** {@code $.a.b (line 3): message; ...}: the first {@link #NAMED} distinct failures. */
    private static String describe(List<Error> errors, LineFinder lines) {
        Map<String, Error> distinct = new LinkedHashMap<>();
        for (Error error : errors) {
            distinct.putIfAbsent(error.getInstanceLocation() + ": " + error.getMessage(), error);
        }
        StringBuilder out = new StringBuilder();
        int named = 0;
        for (Error error : distinct.values()) {
            if (named == NAMED) {
                return out.append("; and ").append(distinct.size() - NAMED).append(" more").toString();
            }
            int line = lines.lineOf(steps(error.getInstanceLocation()));
            out.append(named++ == 0 ? "" : "; ").append(error.getInstanceLocation())
                    .append(line > 0 ? " (line " + line + ")" : "").append(": ").append(error.getMessage());
        }
        return out.toString();
    }

    private static List<Object> steps(NodePath path) {
        List<Object> steps = new ArrayList<>(path.getNameCount());
        for (int i = 0; i < path.getNameCount(); i++) {
            steps.add(path.getElement(i));
        }
        return steps;
    }

    @FunctionalInterface
    private interface LineFinder {
        /** The 1-based line of the value at {@code path}, or 0 if unknown. */
        int lineOf(List<Object> path);
    }

    private static int yamlLine(String content, int document, List<Object> path) {
        try {
            List<Node> documents = YamlDocuments.compose(content);
            return document < documents.size() ? YamlDocuments.lineOf(documents.get(document), path) : 0;
        } catch (YAMLException e) {
            return 0;
        }
    }

    /** Streams the JSON text to the value at {@code path}; only run to describe a failure. */
    private static int jsonLine(String content, List<Object> path) {
        JsonPointer target = JsonPointer.empty();
        for (Object step : path) {
            target = step instanceof Integer index ? target.appendIndex(index) : target.appendProperty(String.valueOf(step));
        }
        try (JsonParser parser = ConfigFormats.JSON.createParser(content)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME || token.isStructEnd()) {
                    continue;
                }
                JsonStreamContext context = parser.getParsingContext();
                if (token.isStructStart()) {
                    context = context.getParent();
                }
                if (context.pathAsPointer().equals(target)) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }
}
