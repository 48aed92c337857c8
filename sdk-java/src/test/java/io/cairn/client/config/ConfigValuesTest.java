package io.cairn.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    @Test
    void yamlIsFlattenedWithDotsAndListIndexesAsSpringDoes() {
        ConfigValues v = ConfigValues.parse(Format.YAML, """
                server:
                  port: 8080
                  hosts: [a, b]
                  tls:
                    enabled: true
                  none:
                  empty: []
                  routes:
                    - path: /orders
                      weight: 2
                    - path: /pay
                ratio: 0.25
                """);
        assertThat(v.asMap()).containsExactly(
                entry("server.port", "8080"),
                entry("server.hosts[0]", "a"),
                entry("server.hosts[1]", "b"),
                entry("server.tls.enabled", "true"),
                entry("server.none", ""),
                entry("server.empty", ""),
                entry("server.routes[0].path", "/orders"),
                entry("server.routes[0].weight", "2"),
                entry("server.routes[1].path", "/pay"),
                entry("ratio", "0.25"));
        assertThat(v.getInt("server.port", 1)).isEqualTo(8080);
        assertThat(v.getBoolean("server.tls.enabled", false)).isTrue();
        assertThat(v.getDouble("ratio", 0)).isEqualTo(0.25);
        assertThat(v.getList("server.hosts")).containsExactly("a", "b");
        assertThat(v.getString("server.missing")).isEmpty();
        assertThat(v.getString("server.missing", "d")).isEqualTo("d");
        assertThat(v.format()).isEqualTo(Format.YAML);
        assertThat(v.content()).startsWith("server:");
    }

    @Test
    void jsonIsFlattenedTheSameWay() {
        ConfigValues v = ConfigValues.parse(Format.JSON, """
                {"db": {"pool": {"size": 40, "timeoutMs": 2500000000}, "urls": ["x", "y"], "ro": false, "nothing": null},
                 "list": [[1, 2], {"k": "v"}]}
                """);
        assertThat(v.asMap()).containsExactly(
                entry("db.pool.size", "40"),
                entry("db.pool.timeoutMs", "2500000000"),
                entry("db.urls[0]", "x"),
                entry("db.urls[1]", "y"),
                entry("db.ro", "false"),
                entry("db.nothing", ""),
                entry("list[0][0]", "1"),
                entry("list[0][1]", "2"),
                entry("list[1].k", "v"));
        assertThat(v.getLong("db.pool.timeoutMs", 0)).isEqualTo(2_500_000_000L);
        assertThat(v.getBoolean("db.ro")).contains(false);
    }

    @Test
    void propertiesKeepTheirKeysInTheDocumentsOrder() {
        ConfigValues v = ConfigValues.parse(Format.PROPERTIES, """
                # a comment
                z.last=1
                a.first = two words
                list=a, b ,c
                multi=one \\
                  two
                """);
        assertThat(v.keys()).containsExactly("z.last", "a.first", "list", "multi");
        assertThat(v.getString("a.first")).contains("two words");
        assertThat(v.getString("multi")).contains("one two");
        assertThat(v.getList("list")).containsExactly("a", "b", "c");
    }

    @Test
    void aLaterYamlDocumentOverridesAnEarlierOne() {
        ConfigValues v = ConfigValues.parse(Format.YAML, "a: 1\nb: 2\n---\na: 3\n");
        assertThat(v.asMap()).containsExactly(entry("a", "3"), entry("b", "2"));
    }

    @Test
    void xmlAndTextHaveOnlyTheirContent() {
        assertThat(ConfigValues.parse(Format.XML, "<a><b>1</b></a>").asMap()).isEmpty();
        ConfigValues text = ConfigValues.parse(Format.TEXT, "anything: at all");
        assertThat(text.asMap()).isEmpty();
        assertThat(text.content()).isEqualTo("anything: at all");
    }

    @Test
    void emptyContentHasNoValues() {
        assertThat(ConfigValues.parse(Format.YAML, "").asMap()).isEmpty();
        assertThat(ConfigValues.parse(Format.PROPERTIES, "").asMap()).isEmpty();
        assertThat(ConfigValues.parse(Format.YAML, "just a scalar").asMap()).isEmpty();
    }

    @Test
    void aTopLevelListIsIndexed() {
        assertThat(ConfigValues.parse(Format.JSON, "[{\"a\": 1}, 2]").asMap()).containsExactly(entry("[0].a", "1"), entry("[1]", "2"));
    }

    @Test
    void contentThatDoesNotParseIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> ConfigValues.parse(Format.YAML, "a: 1\nb: [unclosed\nc: 3\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not YAML").hasMessageContaining("line");
        assertThatThrownBy(() -> ConfigValues.parse(Format.JSON, "{\n\"a\": 1,\n}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON").hasMessageContaining("line 3");
    }

    @Test
    void aYamlTagThatWouldConstructAClassIsRefused() {
        assertThatThrownBy(() -> ConfigValues.parse(Format.YAML, "x: !!java.io.File /tmp\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMalformedTypedValueNamesItsKey() {
        ConfigValues v = ConfigValues.parse(Format.PROPERTIES, "port=eighty\nflag=yes\n");
        assertThatThrownBy(() -> v.getInt("port", 1)).hasMessageContaining("port").hasMessageContaining("eighty");
        assertThatThrownBy(() -> v.getBoolean("flag", true)).hasMessageContaining("flag").hasMessageContaining("boolean");
        assertThat(v.getInt("absent", 7)).isEqualTo(7);
    }

    @Test
    void aListWithoutItemsIsEmpty() {
        assertThat(ConfigValues.parse(Format.YAML, "a: []\n").getList("a")).isEmpty();
        assertThat(ConfigValues.parse(Format.YAML, "a: x\n").getList("b")).isEqualTo(List.of());
    }
}
