package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.config.Format;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ConfigFormatsTest {
    private static void accepted(Format format, String content) {
        assertThatCode(() -> ConfigFormats.check(format, content)).as(content).doesNotThrowAnyException();
    }

    private static AbstractThrowableAssert<?, ?> refused(Format format, String content) {
        return assertThatThrownBy(() -> ConfigFormats.check(format, content)).as(content)
                .isInstanceOf(ServerException.class)
                .satisfies(e -> assertThat(((ServerException) e).error())
                        .isEqualTo(ServerError.CONFIG_BAD_CONTENT));
    }

    @Test
    void textTakesAnything() {
        accepted(Format.TEXT, "");
        accepted(Format.TEXT, "{ not json <not xml> \\u12");
    }

    @Test
    void anUnspecifiedFormatIsTheCallersMistake() {
        assertThatThrownBy(() -> ConfigFormats.check(Format.FORMAT_UNSPECIFIED, "x"))
                .extracting(e -> ((ServerException) e).error()).isEqualTo(ServerError.CONFIG_INVALID);
    }

    @Test
    void yamlIsReadWhole() {
        accepted(Format.YAML, "");
        accepted(Format.YAML, "server:\n  port: 8080\n  hosts: [a, b]\nwhen: 2024-01-01\n");
        accepted(Format.YAML, "a: 1\n---\nb: 2\n");
        accepted(Format.YAML, "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n");
        accepted(Format.YAML, "bucket: !Ref MyBucket\nlist: !Custom [1, 2]\n");
        refused(Format.YAML, "a: 1\nb:\n  c: d\n  e: f: g\n")
                .hasMessage("config: content does not parse as its format: yaml: line 4, column 7: mapping values are not allowed here");
        refused(Format.YAML, "a: 1\n---\nb: [1, 2\n").hasMessageContaining("yaml: line 4, column 1:");
        refused(Format.YAML, "a: 1\nb: 2\na: 3\n").hasMessageContaining("yaml: line 3, column 1: found duplicate key a");
    }

    @Test
    void yamlTagsNeverNameATypeToBuild() {
        refused(Format.YAML, "x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]\n")
                .hasMessageContaining("yaml: line 1, column 4: Global tag is not allowed: tag:yaml.org,2002:javax.script.ScriptEngineManager");
        accepted(Format.YAML, "x: !<tag:example.com,2024:thing> 1\ny: !local {a: 1}\n");
    }

    @Test
    void aYamlBombIsRefusedWithinTheAliasLimit() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            char prev = (char) (level - 1);
            bomb.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            bomb.append("]\n");
        }
        long start = System.nanoTime();
        refused(Format.YAML, bomb.toString()).hasMessageContaining("aliases");
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void yamlNestingIsBounded() {
        refused(Format.YAML, "[".repeat(1000) + "]".repeat(1000)).hasMessageContaining("yaml:");
    }

    @Test
    void jsonIsOneValueAndNothingMore() {
        accepted(Format.JSON, "{\"a\": [1, 2.5, true, null, \"x\"]}");
        accepted(Format.JSON, "  \"just a string\"\n");
        refused(Format.JSON, "").hasMessageContaining("json: line 1, column 1: no value");
        refused(Format.JSON, "{\n  \"a\": 1,\n  \"b\": }\n").hasMessageContaining("json: line 3, column 8: Unexpected character ('}'");
        refused(Format.JSON, "{\"a\": 1}\n{\"b\": 2}").hasMessageContaining("json: line 2, column 1: a second value after the first");
        refused(Format.JSON, "{\"a\": 1} trailing").hasMessageContaining("json: line 1, column ");
        refused(Format.JSON, "{\n\"a\": 1,\n\"a\": 2}").hasMessageContaining("json: line 3, column ").hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void xmlIsWellFormed() {
        accepted(Format.XML, "<?xml version=\"1.0\"?>\n<config xmlns:x=\"urn:x\"><x:a b=\"1\">text</x:a></config>\n");
        refused(Format.XML, "<config>\n  <a>\n</config>\n").hasMessageContaining("xml: line 3, column 3:");
        refused(Format.XML, "").hasMessageContaining("xml: line 1, column 1:");
        refused(Format.XML, "<a/><b/>").hasMessageContaining("xml: line 1, column 6:");
    }

    @Test
    void xmlRefusesEveryDoctypeSoNoEntityIsExpandedOrFetched() {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r>&x;</r>";
        refused(Format.XML, xxe).hasMessageContaining("xml: line 2, column ").hasMessageContaining("a DOCTYPE is not accepted");
        String laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
                + " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                + " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n<lolz>&lol3;</lolz>";
        refused(Format.XML, laughs).hasMessageContaining("a DOCTYPE is not accepted");
        refused(Format.XML, "<!DOCTYPE r SYSTEM \"http://127.0.0.1:1/r.dtd\"><r/>").hasMessageContaining("a DOCTYPE is not accepted");
        // XInclude is off: an include is just an element, and nothing is read
        accepted(Format.XML, "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///nonexistent\" parse=\"text\"/></r>");
    }

    @Test
    void propertiesAreWhatPropertiesLoadReads() {
        accepted(Format.PROPERTIES, "");
        accepted(Format.PROPERTIES, "# comment\n! comment\n\na=1\nb : 2\nc 3\nd=\\u00e9\\\\u12\ne=multi \\\n   line\n");
        accepted(Format.PROPERTIES, "path=C:\\\\dir\\\\\nnext=1");
        refused(Format.PROPERTIES, "a=1\nb=\\u12\n").hasMessageContaining("properties: line 2: Malformed \\uxxxx encoding.");
        refused(Format.PROPERTIES, "a=1\nb=x\\u00G1y\n").hasMessageContaining("properties: line 2:");
        refused(Format.PROPERTIES, "a=first \\\r\n   second \\\r\n   \\u00zz\r\nb=2").hasMessageContaining("properties: line 3:");
        refused(Format.PROPERTIES, "# a comment does not go on \\\nx=\\u0\n").hasMessageContaining("properties: line 2:");
        refused(Format.PROPERTIES, "a=1\r\r  = orphan\n").hasMessageContaining("properties: line 3: empty key");
        refused(Format.PROPERTIES, "a=\\u00").hasMessageContaining("properties: line 1:");
    }
}
