package io.cairn.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.Auth;
import io.cairn.client.Bytes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config types' own rules: names, formats from file names, expectations, selections and access ranges. */
class ConfigTypesTest {
    @Test
    void formatFromFileName() {
        assertThat(Format.fromFileName("app.yaml")).isEqualTo(Format.YAML);
        assertThat(Format.fromFileName("conf/app.YML")).isEqualTo(Format.YAML);
        assertThat(Format.fromFileName("app.properties")).isEqualTo(Format.PROPERTIES);
        assertThat(Format.fromFileName("app.json")).isEqualTo(Format.JSON);
        assertThat(Format.fromFileName("/etc/app.xml")).isEqualTo(Format.XML);
        assertThat(Format.fromFileName("app.txt")).isEqualTo(Format.TEXT);
        assertThat(Format.fromFileName("README")).isEqualTo(Format.TEXT);
        assertThat(Format.fromFileName("conf.d/app")).as("a dot in a directory's name only").isEqualTo(Format.TEXT);
        assertThat(Format.fromFileName("yaml")).isEqualTo(Format.TEXT);
        assertThat(Format.fromFileName("app.yaml.bak")).isEqualTo(Format.TEXT);
    }

    @Test
    void keysDefaultToTheDefaultNamespaceAndGroupAndCheckTheirNames() {
        assertThat(ConfigKey.of("app.yaml")).isEqualTo(new ConfigKey("default", "DEFAULT_GROUP", "app.yaml"));
        assertThat(ConfigKey.of("orders", "app.yaml").group()).isEqualTo("orders");
        new ConfigKey("prod:eu", "g_1-x", "a.b:c");
        assertThatThrownBy(() -> ConfigKey.of("a/b")).hasMessageContaining("data id");
        assertThatThrownBy(() -> ConfigKey.of("")).hasMessageContaining("1 to 128");
        assertThatThrownBy(() -> ConfigKey.of("x".repeat(129))).hasMessageContaining("1 to 128");
        assertThatThrownBy(() -> new ConfigKey("n s", "g", "d")).hasMessageContaining("namespace");
    }

    @Test
    void expectations() {
        assertThat(Expect.version(3).version()).isEqualTo(3);
        assertThat(Expect.absent().kind()).isEqualTo(Expect.Kind.ABSENT);
        assertThatThrownBy(() -> Expect.version(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Expect(Expect.Kind.ANY, 2)).isInstanceOf(IllegalArgumentException.class);
        Publish p = Publish.builder(ConfigKey.of("a"), "x").mustNotExist().build();
        assertThat(p.expect()).isEqualTo(Expect.absent());
        assertThat(p.format()).isEmpty();
        assertThat(p.comment()).isEmpty();
    }

    @Test
    void selections() {
        ConfigKey a = ConfigKey.of("a");
        ConfigKey b = new ConfigKey("default", "other", "b");
        ConfigSelection both = ConfigSelection.configs(a, b);
        assertThat(both.contains(a)).isTrue();
        assertThat(both.contains(ConfigKey.of("c"))).isFalse();
        assertThat(both).isEqualTo(ConfigSelection.configs(b, a));
        assertThat(ConfigSelection.group("other").contains(b)).isTrue();
        assertThat(ConfigSelection.group("other").contains(a)).isFalse();
        assertThat(ConfigSelection.namespace("default").contains(b)).isTrue();
        assertThat(ConfigSelection.namespace("prod").contains(b)).isFalse();
        assertThatThrownBy(() -> ConfigSelection.configs(a, new ConfigKey("prod", "g", "a")))
                .hasMessageContaining("one namespace");
        assertThatThrownBy(() -> ConfigSelection.configs(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grayRules() {
        GrayRules r = GrayRules.builder().label("zone", "eu-1").address("10.0.0.0/8").percent(5).build();
        assertThat(r.labels()).containsEntry("zone", "eu-1");
        assertThat(r.addresses()).containsExactly("10.0.0.0/8");
        assertThatThrownBy(() -> GrayRules.percent(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readAccessCoversEveryConfigPrefixOfTheNamespaceWriteAddsTheContentPrefixAndReviewTheReviewPrefix() {
        List<Auth.Permission> read = ConfigAccess.permissions("prod", ConfigAccess.Level.READ);
        assertThat(read).extracting(p -> p.key().toStringUtf8()).containsExactly("/cairn/config/prod/",
                "/cairn/config-meta/prod/", "/cairn/config-history/prod/", "/cairn/config-gray/prod/", "/cairn/config-audit/prod/",
                "/cairn/config-draft/prod/");
        assertThat(read).allSatisfy(p -> assertThat(p.type()).isEqualTo(Auth.Permission.Type.READ));
        assertThat(read.get(0).rangeEnd()).isEqualTo(Bytes.of("/cairn/config/prod0"));

        List<Auth.Permission> write = ConfigAccess.permissions("prod", ConfigAccess.Level.READ_WRITE);
        assertThat(write.get(0).type()).isEqualTo(Auth.Permission.Type.READWRITE);
        assertThat(write.subList(1, write.size())).hasSize(5).allSatisfy(p -> assertThat(p.type()).isEqualTo(Auth.Permission.Type.READ));

        // a reviewer reads, and holds the review prefix; it does not write the content
        List<Auth.Permission> review = ConfigAccess.permissions("prod", ConfigAccess.Level.REVIEW);
        assertThat(review.subList(0, 6)).isEqualTo(read);
        assertThat(review.get(6)).isEqualTo(new Auth.Permission(Auth.Permission.Type.READWRITE, Bytes.of("/cairn/config-review/prod/"),
                Bytes.of("/cairn/config-review/prod0")));
        // one who reveals reads, and is granted read on exactly the reveal prefix
        List<Auth.Permission> reveal = ConfigAccess.permissions("prod", ConfigAccess.Level.REVEAL);
        assertThat(reveal.subList(0, 6)).isEqualTo(read);
        assertThat(reveal.get(6)).isEqualTo(new Auth.Permission(Auth.Permission.Type.READ, Bytes.of("/cairn/config-reveal/prod/"),
                Bytes.of("/cairn/config-reveal/prod0")));
        assertThatThrownBy(() -> ConfigAccess.permissions("a/b", ConfigAccess.Level.READ)).isInstanceOf(IllegalArgumentException.class);
    }
}
