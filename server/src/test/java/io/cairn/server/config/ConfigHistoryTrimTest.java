package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.config.Change;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.Format;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.server.apply.Keyspace;
import io.cairn.server.command.Command;
import io.cairn.server.command.ConfigChange;
import io.cairn.server.command.ConfigWrite;
import io.cairn.server.storage.KeyRange;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A publish keeps the newest versions of its config's history, as many as its proposer's limit says. */
class ConfigHistoryTrimTest {
    private static final ConfigKey KEY = ConfigKey.newBuilder().setNamespace("default").setGroup("g").setDataId("a.txt").build();

    @TempDir
    Path dir;

    @Test
    void eachPublishTrimsWhatFellOutAndALoweredLimitTrimsTheRest() {
        try (Keyspace ks = new Keyspace(dir)) {
            for (int i = 1; i <= 8; i++) {
                publish(ks, 5);
            }
            assertThat(kept(ks)).containsExactly(4L, 5L, 6L, 7L, 8L);
            publish(ks, 2); // the proposer's limit went down (a member restarted with another setting)
            assertThat(kept(ks)).containsExactly(8L, 9L);
            publish(ks, 2);
            assertThat(kept(ks)).containsExactly(9L, 10L);
            publish(ks, 4); // raised: nothing goes until the history has grown to it
            publish(ks, 4);
            assertThat(kept(ks)).containsExactly(9L, 10L, 11L, 12L);
            publish(ks, 4);
            assertThat(kept(ks)).containsExactly(10L, 11L, 12L, 13L);
        }
    }

    @Test
    void aDeleteIsAVersionAndALimitLoweredByMoreThanTheWindowLeavesTheOldestInPlace() {
        try (Keyspace ks = new Keyspace(dir)) {
            for (int i = 1; i <= 120; i++) {
                publish(ks, 150);
            }
            write(ks, Change.DELETED, 5);
            // versions 117 to 121 kept; the trim window reaches down to 17 only, so 1 to 16 stay
            List<Long> kept = kept(ks);
            assertThat(kept).hasSize(21);
            assertThat(kept.subList(0, 16)).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 16).boxed().toList());
            assertThat(kept.subList(16, 21)).containsExactly(117L, 118L, 119L, 120L, 121L);
        }
    }

    private static void publish(Keyspace ks, int historyLimit) {
        write(ks, Change.PUBLISHED, historyLimit);
    }

    private static void write(Keyspace ks, Change change, int historyLimit) {
        ks.apply(Command.newBuilder().setConfigChange(ConfigChange.newBuilder().setWrite(ConfigWrite.newBuilder()
                .setKey(KEY).setFormat(Format.TEXT).setContent(change == Change.DELETED ? "" : "x").setChange(change)
                .setSchemaMd5(ConfigJson.md5OrEmpty("")).setHistoryLimit(historyLimit))).build());
    }

    private static List<Long> kept(Keyspace ks) {
        var prefix = ConfigKeys.historyPrefix(KEY);
        return ks.range(RangeRequest.newBuilder().setKey(prefix).setRangeEnd(KeyRange.prefixEnd(prefix)).build()).getKvsList()
                .stream().map(KeyValue::getKey).map(k -> Long.parseLong(k.substring(prefix.size()).toStringUtf8(), 16)).toList();
    }
}
