package io.cairn.console.views.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.config.GrayRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrayRulesTextTest {

    @Test
    void readsTheFormsFields() {
        GrayRules rules = GrayRulesText.parse(" env=canary , zone = eu-1,", "10.1.0.0/16, 10.2.3.4  ::1", 10);
        assertThat(rules.labels()).isEqualTo(Map.of("env", "canary", "zone", "eu-1"));
        assertThat(rules.addresses()).containsExactly("10.1.0.0/16", "10.2.3.4", "::1");
        assertThat(rules.percent()).isEqualTo(10);
        assertThat(GrayRulesText.parse("", " ", null)).isEqualTo(new GrayRules(Map.of(), List.of(), 0));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> GrayRulesText.parseLabels("env")).hasMessageContaining("key=value");
        assertThatThrownBy(() -> GrayRulesText.parseLabels("=canary")).hasMessageContaining("key=value");
        assertThatThrownBy(() -> GrayRulesText.parse("", "", 101)).hasMessageContaining("0 to 100");
    }

    @Test
    void saysWhoGetsTheCandidate() {
        assertThat(GrayRulesText.describe(GrayRules.builder().label("zone", "eu-1").label("env", "canary").percent(10).build()))
                .isEqualTo("clients labelled env=canary and zone=eu-1; or 10% of clients, chosen by a stable hash of their id");
        assertThat(GrayRulesText.describe(GrayRules.addresses("10.0.0.0/8"))).isEqualTo("clients at 10.0.0.0/8");
        assertThat(GrayRulesText.describe(new GrayRules(Map.of(), List.of(), 0))).isEqualTo("no clients: no rule is given");
    }
}
