package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.GrayRules;
import io.cairn.server.errors.ServerException;
import org.junit.jupiter.api.Test;

class GrayMatcherTest {
    private static final ConfigKey KEY = ConfigKey.newBuilder().setNamespace("prod").setGroup("g").setDataId("app.yaml").build();

    @Test
    void rulesAreAlternatives() {
        GrayRules rules = GrayRules.newBuilder().putLabels("zone", "canary").putLabels("tier", "web")
                .addAddresses("10.1.0.0/16").addAddresses("192.168.7.9").build();
        assertThat(matches(rules, ClientInfo.newBuilder().putLabels("zone", "canary").putLabels("tier", "web").putLabels("x", "y"), "")).isTrue();
        assertThat(matches(rules, ClientInfo.newBuilder().putLabels("zone", "canary"), "")).as("every label must match").isFalse();
        assertThat(matches(rules, ClientInfo.newBuilder().setAddress("10.1.200.3"), "")).isTrue();
        assertThat(matches(rules, ClientInfo.newBuilder().setAddress("10.2.0.1"), "")).isFalse();
        assertThat(matches(rules, ClientInfo.newBuilder(), "192.168.7.9")).as("the address seen, when the client gives none").isTrue();
        assertThat(matches(rules, ClientInfo.newBuilder().setAddress("10.2.0.1"), "192.168.7.9")).as("the client's own wins").isFalse();
        assertThat(matches(GrayRules.newBuilder().addAddresses("::1/128").build(), ClientInfo.newBuilder(), "::1")).isTrue();
    }

    @Test
    void aPercentageIsAStableShareOfClientIds() {
        GrayRules thirty = GrayRules.newBuilder().setPercent(30).build();
        int in = 0;
        for (int i = 0; i < 10_000; i++) {
            ClientInfo c = ClientInfo.newBuilder().setClientId("client-" + i).build();
            boolean first = GrayMatcher.matches(thirty, KEY, c, "");
            assertThat(GrayMatcher.matches(thirty, KEY, c, "")).isEqualTo(first);
            in += first ? 1 : 0;
        }
        assertThat(in).isBetween(2_700, 3_300);
        assertThat(matches(GrayRules.newBuilder().setPercent(100).build(), ClientInfo.newBuilder().setClientId("any"), "")).isTrue();
        assertThat(matches(GrayRules.newBuilder().setPercent(100).build(), ClientInfo.newBuilder(), "")).as("no id, no bucket").isFalse();
    }

    @Test
    void rulesThatCannotBeMeantAreRefused() {
        assertThatThrownBy(() -> GrayMatcher.check(GrayRules.getDefaultInstance())).isInstanceOf(ServerException.class)
                .hasMessageContaining("needs a rule");
        assertThatThrownBy(() -> GrayMatcher.check(GrayRules.newBuilder().setPercent(101).build())).hasMessageContaining("0 to 100");
        assertThatThrownBy(() -> GrayMatcher.check(GrayRules.newBuilder().addAddresses("example.com").build()))
                .hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> GrayMatcher.check(GrayRules.newBuilder().addAddresses("10.0.0.0/33").build()))
                .hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> GrayMatcher.check(GrayRules.newBuilder().addAddresses("999.1.1.1").build()))
                .hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> GrayMatcher.check(GrayRules.newBuilder().addAddresses("ab:cd").build()))
                .hasMessageContaining("not an IP address");
        // a client's address that is no literal matches no block, and is never looked up
        assertThat(matches(GrayRules.newBuilder().addAddresses("10.0.0.0/8").build(), ClientInfo.newBuilder().setAddress("999.1.1.1"), ""))
                .isFalse();
    }

    private static boolean matches(GrayRules rules, ClientInfo.Builder client, String seen) {
        return GrayMatcher.matches(rules, KEY, client.build(), seen);
    }
}
