package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.config.Format;
import io.cairn.api.config.Secrets;
import io.cairn.server.errors.ServerException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sealing secret values in place, in each format, and getting the text back exactly. */
class SecretTextTest {
    /** Reversible and visibly not the clear text: enough to see where values go (DataKeysTest has the real one). */
    private static final SecretText.Cipher CIPHER = new SecretText.Cipher() {
        @Override
        public String seal(String clear) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("~" + new StringBuilder(clear).reverse()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String open(String body) {
            return new StringBuilder(new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8).substring(1))
                    .reverse().toString();
        }
    };

    private static Secrets keys(String... keys) {
        return Secrets.newBuilder().addAllKeys(List.of(keys)).build();
    }

    private static String roundTrip(Format format, String clear, Secrets secrets, String... hidden) {
        String sealed = SecretText.seal(format, clear, secrets, CIPHER);
        for (String h : hidden) {
            assertThat(sealed).doesNotContain(h);
            assertThat(SecretText.mask(format, sealed)).doesNotContain(h);
        }
        assertThat(SecretText.open(format, sealed, CIPHER)).isEqualTo(clear);
        assertThat(SecretText.seal(format, sealed, secrets, CIPHER)).as("sealing again changes nothing").isEqualTo(sealed);
        ConfigFormats.check(format, sealed);
        ConfigFormats.check(format, SecretText.mask(format, sealed));
        return sealed;
    }

    @Test
    void propertiesValuesAreSealedWithTheirEscapesAndContinuations() {
        String clear = "# db\nuser=app\ndb.password = hunter2\nkey\\ with\\ space : s3cr\\\n    et\nempty=\n";
        String sealed = roundTrip(Format.PROPERTIES, clear, keys("db.password", "key with space", "empty"), "hunter2", "s3cr");
        assertThat(sealed).contains("user=app").startsWith("# db\n");
        assertThat(SecretText.mask(Format.PROPERTIES, sealed))
                .isEqualTo("# db\nuser=app\ndb.password = ******\nkey\\ with\\ space : ******\nempty=******\n");
    }

    @Test
    void yamlValuesAreFoundByNestedPathFlatKeyAndListIndex() {
        String clear = "spring:\n  datasource:\n    password: 'it''s'\n    url: jdbc:x\n"
                + "app.token: abc123\nservers:\n  - name: a\n    key: 42\n  - name: b\n    key: \"k\\u00e9\"\n";
        String sealed = roundTrip(Format.YAML, clear, keys("spring.datasource.password", "app.token", "servers[1].key"),
                "it''s", "abc123", "k\\u00e9");
        assertThat(SecretText.mask(Format.YAML, sealed)).isEqualTo("spring:\n  datasource:\n    password: \"******\"\n"
                + "    url: jdbc:x\napp.token: \"******\"\nservers:\n  - name: a\n    key: 42\n  - name: b\n    key: \"******\"\n");
    }

    @Test
    void jsonValuesOfAnyTypeAreSealed() {
        String clear = "{\"db\": {\"password\": \"p\\\"w\", \"port\": 5432}, \"list\": [1, {\"k\": true}], \"open\": \"x\"}";
        String sealed = roundTrip(Format.JSON, clear, keys("db.password", "db.port", "list[1].k"), "p\\\"w", "5432", "true");
        assertThat(SecretText.mask(Format.JSON, sealed))
                .isEqualTo("{\"db\": {\"password\": \"******\", \"port\": \"******\"}, \"list\": [1, {\"k\": \"******\"}], \"open\": \"x\"}");
    }

    @Test
    void yamlBlockScalarsAndWideCharactersRoundTripAndEmptyValuesStayAsTheyAre() {
        String clear = "note: \"h\u00e9 😀\"\nkey: |\n  -----BEGIN KEY-----\n  Zm9v\n  -----END KEY-----\nnext: 1\n"
                + "emoji: pässwörd-😀\nempty:\n";
        String sealed = roundTrip(Format.YAML, clear, keys("key", "emoji", "empty"), "BEGIN KEY", "pässwörd");
        assertThat(sealed).contains("\nnext: 1\n").endsWith("empty:\n");
    }

    @Test
    void anAnchoredTaggedOrMergedSecretIsRefused() {
        assertThatThrownBy(() -> SecretText.seal(Format.YAML, "a: &pw s3cret\nb: *pw\n", keys("a"), CIPHER))
                .isInstanceOf(ServerException.class).hasMessageContaining("anchor or a tag");
        assertThatThrownBy(() -> SecretText.seal(Format.YAML, "a: !!str s3cret\n", keys("a"), CIPHER))
                .isInstanceOf(ServerException.class).hasMessageContaining("anchor or a tag");
        assertThatThrownBy(() -> SecretText.seal(Format.YAML, "base: &b {password: s3cret}\ndb:\n  <<: *b\n",
                keys("db.password"), CIPHER)).isInstanceOf(ServerException.class).hasMessageContaining("merged in with <<");
        assertThatThrownBy(() -> SecretText.seal(Format.YAML, "a: [\n", keys("a"), CIPHER))
                .isInstanceOf(ServerException.class).hasMessageContaining("line 2");
    }

    @Test
    void aKeptValueMustStayUnderAKeyThatIsStillSecret() {
        String sealed = SecretText.seal(Format.PROPERTIES, "a=1\nb=2\n", keys("a"), CIPHER);
        SecretText.requireSealedWhereSecret(Format.PROPERTIES, sealed, keys("a"));
        assertThatThrownBy(() -> SecretText.requireSealedWhereSecret(Format.PROPERTIES, sealed, keys("b")))
                .isInstanceOf(ServerException.class).hasMessageContaining("no longer secret");
        assertThat(SecretText.both(keys("a"), Secrets.newBuilder().setWhole(true).build()))
                .isEqualTo(Secrets.newBuilder().setWhole(true).addKeys("a").build());
    }

    @Test
    void aWholeConfigIsOneToken() {
        String clear = "<xml>secret</xml>";
        Secrets whole = Secrets.newBuilder().setWhole(true).build();
        String sealed = SecretText.seal(Format.XML, clear, whole, CIPHER);
        assertThat(sealed).startsWith("ENC(cairn:").doesNotContain("secret");
        assertThat(SecretText.open(Format.XML, sealed, CIPHER)).isEqualTo(clear);
        assertThat(SecretText.mask(Format.XML, sealed)).isEqualTo(SecretText.MASK);
    }

    @Test
    void aKeyNamingAMappingOrListIsRefused() {
        assertThatThrownBy(() -> SecretText.seal(Format.YAML, "db:\n  password: x\n", keys("db"), CIPHER))
                .isInstanceOf(ServerException.class).hasMessageContaining("secret key db names a mapping");
        assertThatThrownBy(() -> SecretText.seal(Format.JSON, "{\"l\": [1]}", keys("l"), CIPHER))
                .isInstanceOf(ServerException.class).hasMessageContaining("names an array");
        assertThatThrownBy(() -> SecretText.check(Format.TEXT, keys("a")))
                .isInstanceOf(ServerException.class).hasMessageContaining("as a whole");
    }

    @Test
    void aValueLeftMaskedKeepsTheSecretItHid() {
        String before = SecretText.seal(Format.YAML, "db:\n  password: old-secret\n  pool: 5\n", keys("db.password"), CIPHER);
        String written = "db:\n  password: \"******\"\n  pool: 10\n";
        String kept = SecretText.keepMasked(Format.YAML, written, keys("db.password"), Format.YAML, before);
        assertThat(SecretText.open(Format.YAML, kept, CIPHER)).isEqualTo("db:\n  password: old-secret\n  pool: 10\n");
        // a new value replaces it; a masked value with nothing sealed behind it is taken as written
        assertThat(SecretText.keepMasked(Format.YAML, "db:\n  password: new\n", keys("db.password"), Format.YAML, before))
                .isEqualTo("db:\n  password: new\n");
        String bare = SecretText.keepMasked(Format.PROPERTIES, "a=******\n", keys("a"), Format.PROPERTIES, "a=plain\n");
        assertThat(bare).isEqualTo("a=******\n");
        assertThatThrownBy(() -> SecretText.requireNoBareMask(Format.PROPERTIES, bare, keys("a")))
                .isInstanceOf(ServerException.class).hasMessageContaining("holds no secret to keep");
        SecretText.requireNoBareMask(Format.YAML, kept, keys("db.password"));
        Secrets whole = Secrets.newBuilder().setWhole(true).build();
        String all = SecretText.seal(Format.TEXT, "pw", whole, CIPHER);
        assertThat(SecretText.keepMasked(Format.TEXT, SecretText.MASK, whole, Format.TEXT, all)).isEqualTo(all);
    }

    @Test
    void pathsMatchNestedAndFlatNames() {
        assertThat(SecretSpans.matches("a.b", List.of("a", "b"))).isTrue();
        assertThat(SecretSpans.matches("a.b", List.of("a.b"))).isTrue();
        assertThat(SecretSpans.matches("l[0].x", List.of("l", 0, "x"))).isTrue();
        assertThat(SecretSpans.matches("a", List.of("a", "b"))).isFalse();
        assertThat(SecretSpans.matches("a.b", List.of("a"))).isFalse();
        assertThat(SecretSpans.matches("ab", List.of("a", "b"))).isFalse();
    }
}
