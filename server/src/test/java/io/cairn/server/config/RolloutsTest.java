package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.config.ClientInfo;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigReceipt;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.GrayRelease;
import io.cairn.api.config.StatusResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutsTest {
    private static final ConfigKey KEY = ConfigKey.newBuilder().setNamespace("default").setGroup("g").setDataId("a").build();

    @Test
    void countsInstancesPerVersionNewestFirstWithTheGrayCandidateApart() {
        ConfigVersion current = ConfigVersion.newBuilder().setKey(KEY).setVersion(3).setContent("x").setJsonSchema("{}").build();
        GrayRelease gray = GrayRelease.newBuilder().setKey(KEY).setBaseVersion(3).setContent("y").setMd5("m").build();
        StatusResponse s = Rollouts.status(current, gray, List.of(
                receipt("b", 2, false, true), receipt("a", 3, false, true), receipt("d", 3, true, false),
                receipt("c", 3, true, true), receipt("e", 2, false, false))).build();
        assertThat(s.getCurrent().getContent()).isEmpty();
        assertThat(s.getCurrent().getJsonSchema()).isEmpty();
        assertThat(s.getGray().getContent()).isEmpty();
        assertThat(s.getGray().getMd5()).isEqualTo("m");
        assertThat(s.getReceiptsList()).extracting(r -> r.getClient().getClientId()).containsExactly("a", "b", "c", "d", "e");
        assertThat(s.getVersionsList()).extracting(v -> v.getVersion() + (v.getGray() ? " gray " : " ") + v.getInstances() + "/" + v.getFailed())
                .containsExactly("3 gray 2/1", "3 1/0", "2 2/1");
    }

    @Test
    void aConfigNobodyUsesHasNoCounts() {
        StatusResponse s = Rollouts.status(null, null, List.of()).build();
        assertThat(s.hasCurrent()).isFalse();
        assertThat(s.hasGray()).isFalse();
        assertThat(s.getVersionsList()).isEmpty();
    }

    private static ConfigReceipt receipt(String client, long version, boolean gray, boolean applied) {
        return ConfigReceipt.newBuilder().setKey(KEY).setClient(ClientInfo.newBuilder().setClientId(client))
                .setVersion(version).setGray(gray).setApplied(applied).build();
    }
}
