package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.config.Format;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ConfigSchemasTest {
    private static final String SERVICE = """
            {
              "type": "object",
              "required": ["name", "port"],
              "properties": {
                "name": {"type": "string"},
                "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                "tags": {"type": "array", "items": {"type": "string"}}
              },
              "additionalProperties": false
            }""";

    private static AbstractThrowableAssert<?, ?> refusedWith(ServerError error, Executable call) {
        return assertThatThrownBy(call::execute).isInstanceOf(ServerException.class)
                .satisfies(e -> assertThat(((ServerException) e).error()).isEqualTo(error));
    }

    @Test
    void contentThatSatisfiesTheSchemaPasses() {
        assertThatCode(() -> ConfigSchemas.validate(SERVICE, Format.JSON, "{\"name\": \"web\", \"port\": 8080, \"tags\": [\"a\"]}"))
                .doesNotThrowAnyException();
        assertThatCode(() -> ConfigSchemas.validate(SERVICE, Format.YAML, "name: web\nport: 8080\ntags: [a, b]\n"))
                .doesNotThrowAnyException();
        assertThatCode(() -> ConfigSchemas.validate(SERVICE, Format.YAML, "name: a\nport: 1\n---\nname: b\nport: 2\n"))
                .doesNotThrowAnyException();
    }

    @Test
    void jsonFailuresNameTheirPathAndLine() {
        refusedWith(ServerError.CONFIG_SCHEMA_VIOLATION, () -> ConfigSchemas.validate(SERVICE, Format.JSON,
                "{\n  \"name\": 5,\n  \"port\": 0,\n  \"tags\": [\"a\", 3]\n}"))
                .hasMessage("config: content does not satisfy the config's schema: "
                        + "$.name (line 2): integer found, string expected; "
                        + "$.port (line 3): must have a minimum value of 1; "
                        + "$.tags[1] (line 4): integer found, string expected");
    }

    @Test
    void yamlFailuresNameTheirPathAndLine() {
        refusedWith(ServerError.CONFIG_SCHEMA_VIOLATION, () -> ConfigSchemas.validate(SERVICE, Format.YAML,
                "name: web\nport: 80\ntags:\n  - x\n  - 7\n"))
                .hasMessageEndingWith("schema: $.tags[1] (line 5): integer found, string expected");
        refusedWith(ServerError.CONFIG_SCHEMA_VIOLATION, () -> ConfigSchemas.validate(SERVICE, Format.YAML,
                "name: web\nextra: true\n"))
                .hasMessageContaining("$ (line 1): required property 'port' not found")
                .hasMessageContaining("property 'extra' is not defined");
        refusedWith(ServerError.CONFIG_SCHEMA_VIOLATION, () -> ConfigSchemas.validate(SERVICE, Format.YAML,
                "name: a\nport: 1\n---\nname: b\nport: 70000\n"))
                .hasMessageEndingWith("schema: document 2: $.port (line 5): must have a maximum value of 65535");
        refusedWith(ServerError.CONFIG_SCHEMA_VIOLATION, () -> ConfigSchemas.validate(SERVICE, Format.YAML, ""))
                .hasMessageEndingWith("$: null found, object expected");
    }

    @Test
    void yamlIsSeenAsItsJsonTree() {
        String dated = "{\"properties\": {\"when\": {\"type\": \"string\"}, \"n\": {\"type\": \"integer\"}}}";
        assertThatCode(() -> ConfigSchemas.validate(dated, Format.YAML, "when: 2024-01-01\nn: 0x1F\n")).doesNotThrowAnyException();
        String nested = "{\"properties\": {\"a\": {\"properties\": {\"x\": {\"type\": \"integer\"}}}}}";
        refusedWith(ServerError.CONFIG_SCHEMA_VIOLATION, () -> ConfigSchemas.validate(nested, Format.YAML,
                "base: &b {x: one}\na:\n  <<: *b\n"))
                .as("a value reached through a merge key has no line of its own")
                .hasMessageEndingWith("schema: $.a.x: string found, integer expected");
    }

    @Test
    void yamlAliasesCannotExpandPastABound() {
        // 48 aliases, within the parser's limit, that expand to 2^25 values
        StringBuilder doubling = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            doubling.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        refusedWith(ServerError.CONFIG_BAD_CONTENT, () -> ConfigSchemas.validate("true", Format.YAML, doubling.toString()))
                .hasMessageEndingWith("yaml: its aliases expand to too many values");
        refusedWith(ServerError.CONFIG_BAD_CONTENT, () -> ConfigSchemas.validate("true", Format.YAML, "a: &a [1, *a]\n"))
                .hasMessageEndingWith("yaml: a structure that contains itself has no JSON form");
    }

    @Test
    void atMostThreeFailuresAreNamed() {
        String numbers = "{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}";
        refusedWith(ServerError.CONFIG_SCHEMA_VIOLATION, () -> ConfigSchemas.validate(numbers, Format.JSON, "[\"a\", \"b\", \"c\", \"d\", \"e\"]"))
                .hasMessageContaining("$[2] (line 1)").hasMessageNotContaining("$[3]").hasMessageEndingWith("; and 2 more");
    }

    @Test
    void contentThatDoesNotParseIsBadContent() {
        refusedWith(ServerError.CONFIG_BAD_CONTENT, () -> ConfigSchemas.validate(SERVICE, Format.JSON, "{\"name\": "))
                .hasMessageContaining("json: line 1");
        refusedWith(ServerError.CONFIG_BAD_CONTENT, () -> ConfigSchemas.validate(SERVICE, Format.YAML, "a: [1"))
                .hasMessageContaining("yaml: line 1");
    }

    @Test
    void aSchemaAppliesOnlyToYamlAndJson() {
        for (Format format : new Format[] {Format.TEXT, Format.PROPERTIES, Format.XML}) {
            refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.validate(SERVICE, format, "name=a"))
                    .hasMessageEndingWith("a JSON schema applies only to yaml and json configs");
        }
    }

    @Test
    void goodSchemasAreTaken() {
        assertThatCode(() -> ConfigSchemas.checkSchema(SERVICE)).doesNotThrowAnyException();
        assertThatCode(() -> ConfigSchemas.checkSchema("true")).doesNotThrowAnyException();
        assertThatCode(() -> ConfigSchemas.checkSchema("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\"}"))
                .doesNotThrowAnyException();
        assertThatCode(() -> ConfigSchemas.checkSchema("{\"$defs\": {\"p\": {\"type\": \"integer\"}}, \"properties\": {\"a\": {\"$ref\": \"#/$defs/p\"}}}"))
                .doesNotThrowAnyException();
    }

    @Test
    void brokenSchemasAreRefused() {
        refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.checkSchema("{\"type\": "))
                .hasMessageStartingWith("config: invalid request: json schema: line 1, column ");
        refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.checkSchema("{\n  \"type\": \"strin\"\n}"))
                .hasMessageStartingWith("config: invalid request: json schema: $.type (line 2): does not have a value in the enumeration");
        refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.checkSchema("{\"minimum\": \"one\"}"))
                .hasMessageEndingWith("json schema: $.minimum (line 1): string found, number expected");
        refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.checkSchema("5"))
                .hasMessageEndingWith("json schema: $ (line 1): integer found, [object, boolean] expected");
        refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.checkSchema("{\"properties\": {\"a\": {\"$ref\": \"#/$defs/missing\"}}}"))
                .hasMessageContaining("json schema: ").hasMessageContaining("/$defs/missing");
        refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.validate("{\"type\": 1}", Format.JSON, "{}"))
                .hasMessageContaining("json schema: $.type");
    }

    @Test
    void nothingIsFetched() {
        refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.checkSchema("{\"$ref\": \"http://127.0.0.1:1/other.json\"}"))
                .hasMessageEndingWith("json schema: cannot resolve http://127.0.0.1:1/other.json: nothing outside the schema is fetched");
        refusedWith(ServerError.CONFIG_INVALID, () -> ConfigSchemas.checkSchema("{\"$schema\": \"http://127.0.0.1:1/dialect\"}"))
                .hasMessageContaining("$schema http://127.0.0.1:1/dialect is no draft this server knows");
    }

    @Test
    void twoSchemasWithOneIdDoNotMix() {
        String first = "{\"$id\": \"urn:cairn:test\", \"type\": \"string\"}";
        String second = "{\"$id\": \"urn:cairn:test\", \"type\": \"integer\"}";
        assertThatCode(() -> ConfigSchemas.validate(first, Format.JSON, "\"x\"")).doesNotThrowAnyException();
        assertThatCode(() -> ConfigSchemas.validate(second, Format.JSON, "1")).doesNotThrowAnyException();
        refusedWith(ServerError.CONFIG_SCHEMA_VIOLATION, () -> ConfigSchemas.validate(second, Format.JSON, "\"x\""));
    }
}
