package io.cairn.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cairn.api.config.Format;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Whether content parses as its format, checked before a publish is proposed so that nothing
 * unreadable is committed. Each refusal is {@link ServerError#CONFIG_BAD_CONTENT} with one short
 * line of detail: the format, where (1-based line, and column where the parser knows it) and the
 * parser's reason, e.g. {@code yaml: line 3, column 7: mapping values are not allowed here}.
 *
 * <ul>
 *   <li>TEXT: anything.
 *   <li>PROPERTIES: what {@link java.util.Properties#load(java.io.Reader)} reads (it refuses only a
 *       malformed {@code \\uXXXX} escape), and no entry with an empty key ({@code =value}). Lines
 *       are physical lines, continuations counted.
 *   <li>YAML: every document of the stream, as {@link YamlDocuments} reads it: plain data only,
 *       aliases and depth bounded, duplicate keys refused.
 *   <li>JSON: exactly one value (not an empty text), nothing after it, no duplicate keys.
 *   <li>XML: well-formed, namespace-aware; a DOCTYPE is refused, so no entity is ever expanded and
 *       nothing external is read.
 * </ul>
 *
 * Thread-safe: it holds no state but immutable parser settings.
 */
public final class ConfigFormats {
    /** The longest reason quoted from a parser. */
    private static final int MAX_REASON = 200;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private static final SAXParserFactory XML = xmlFactory();

    private ConfigFormats() {
    }

    /**
     * @throws ServerException CONFIG_BAD_CONTENT if {@code content} does not parse as
     *     {@code format}; CONFIG_INVALID for a format no check is defined for (unspecified or
     *     unknown: the caller resolves those first)
     */
    public static void check(Format format, String content) {
        switch (format) {
            case TEXT -> {
            }
            case PROPERTIES -> PropertiesLines.check(content);
            case YAML -> checkYaml(content);
            case JSON -> readJson(content);
            case XML -> checkXml(content);
            default -> throw ServerError.CONFIG_INVALID.exception("no format to check content against: " + format);
        }
    }

    /** The one JSON value of {@code content}. */
    static JsonNode readJson(String content) {
        if (content.isBlank()) {
            throw bad("json", "line 1, column 1: no value");
        }
        try (JsonParser parser = JSON.createParser(content)) {
            JsonNode value = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw bad("json", "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": a second value after the first");
            }
            return value;
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw bad("json", where + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad("json", String.valueOf(e.getMessage()));
        }
    }

    private static void checkYaml(String content) {
        try {
            YamlDocuments.load(content);
        } catch (YAMLException e) {
            throw bad("yaml", YamlDocuments.describe(e));
        }
    }

    private static void checkXml(String content) {
        SAXParser parser;
        try {
            synchronized (XML) {
                parser = XML.newSAXParser();
            }
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser refuses Cairn's settings", e);
        }
        try {
            parser.parse(new InputSource(new StringReader(content)), new DefaultHandler());
        } catch (SAXParseException e) {
            String where = e.getLineNumber() < 1 ? "" : "line " + e.getLineNumber()
                    + (e.getColumnNumber() < 1 ? "" : ", column " + e.getColumnNumber()) + ": ";
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("disallow-doctype-decl")) {
                reason = "a DOCTYPE is not accepted (no DTD, no entities)";
            }
            throw bad("xml", where + reason);
        } catch (SAXException | IOException e) {
            throw bad("xml", String.valueOf(e.getMessage()));
        }
    }

    private static SAXParserFactory xmlFactory() {
        SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser refuses Cairn's settings", e);
        }
        return factory;
    }

    /** CONFIG_BAD_CONTENT with {@code format: reason}, the reason cut to one short line. */
    static ServerException bad(String format, String reason) {
        String line = reason.strip().replaceAll("\\s*\\R\\s*", " ");
        if (line.length() > MAX_REASON) {
            line = line.substring(0, MAX_REASON - 1) + "…";
        }
        return ServerError.CONFIG_BAD_CONTENT.exception(format + ": " + line);
    }
}
