package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.config.Change;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;
import io.cairn.client.config.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSnapshotsTest {
    @TempDir
    Path dir;

    static Config config(ConfigKey key, long version, String content) {
        return new Config(key, version, Format.YAML, content, ConfigSnapshots.md5(content), Change.PUBLISHED, "alice",
                "10.0.0.1:5000", "why", Instant.ofEpochMilli(1_700_000_000_000L + version), 100 + version, 0,
                content.length(), false, false, io.cairn.client.config.Secrets.none(), false);
    }

    @Test
    void aSavedVersionIsLoadedBackMarkedAsFromTheSnapshot() {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        ConfigKey key = ConfigKey.of("app.yaml");
        Config v2 = config(key, 2, "a: 1\nb: ü\n");
        store.save(config(key, 1, "a: 0\n"));
        store.save(v2);

        Config loaded = store.load(key).orElseThrow();
        assertThat(loaded.fromSnapshot()).isTrue();
        assertThat(loaded).isEqualTo(v2.asFromSnapshot());
        assertThat(store.load(ConfigKey.of("other"))).isEmpty();
        assertThat(store.file(key)).isEqualTo(dir.resolve("default/DEFAULT_GROUP/app.yaml.json"));
    }

    @Test
    void writingLeavesNoTemporaryFileBehind() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        ConfigKey key = ConfigKey.of("app.yaml");
        for (int v = 1; v <= 5; v++) {
            store.save(config(key, v, "v: " + v + "\n"));
        }
        try (Stream<Path> files = Files.list(store.file(key).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("app.yaml.json");
        }
        assertThat(store.load(key).orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void aFileWhoseContentDoesNotMatchItsMd5IsPassedOver() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        ConfigKey key = ConfigKey.of("app.yaml");
        store.save(config(key, 1, "pool: 10\n"));
        Path file = store.file(key);
        Files.writeString(file, Files.readString(file).replace("pool: 10", "pool: 99"));
        assertThat(store.load(key)).isEmpty();

        Files.writeString(file, "{\"namespace\": \"default\""); // cut short
        assertThat(store.load(key)).isEmpty();
    }

    @Test
    void aFileHoldingAnotherConfigIsPassedOver() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        store.save(config(ConfigKey.of("a"), 1, "x"));
        Files.createDirectories(store.file(ConfigKey.of("b")).getParent());
        Files.copy(store.file(ConfigKey.of("a")), store.file(ConfigKey.of("b")));
        assertThat(store.load(ConfigKey.of("b"))).isEmpty();
    }

    @Test
    void namesThatAreNotPlainFileNamesAreEncodedAndReadBack() {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        ConfigKey odd = new ConfigKey("..", "a:b", ".");
        store.save(config(odd, 1, "x: 1\n"));
        assertThat(store.file(odd)).isEqualTo(dir.resolve("%2E%2E/a%3Ab/%2E.json"));
        assertThat(store.file(odd).normalize()).startsWith(dir);
        assertThat(store.load(odd)).isPresent();
        assertThat(store.load(ConfigSelection.namespace(".."))).extracting(Config::key).containsExactly(odd);
        assertThat(ConfigSnapshots.decode(ConfigSnapshots.encode("x.y:z"))).isEqualTo("x.y:z");
    }

    @Test
    void aSelectionLoadsTheConfigsItTakesIn() {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        ConfigKey a = ConfigKey.of("a");
        ConfigKey b = ConfigKey.of("g2", "b");
        ConfigKey c = new ConfigKey("prod", "DEFAULT_GROUP", "c");
        for (ConfigKey k : List.of(a, b, c)) {
            store.save(config(k, 1, k.dataId()));
        }
        assertThat(store.load(ConfigSelection.namespace("default"))).extracting(Config::key).containsExactly(a, b);
        assertThat(store.load(ConfigSelection.group("g2"))).extracting(Config::key).containsExactly(b);
        assertThat(store.load(ConfigSelection.configs(a, ConfigKey.of("missing")))).extracting(Config::key).containsExactly(a);
        assertThat(store.load(ConfigSelection.namespace("nowhere"))).isEmpty();
    }

    @Test
    void versionsThatComeFasterThanTheyAreWrittenAreCoalescedToTheLatest() {
        List<Runnable> queued = new ArrayList<>();
        Executor later = queued::add;
        ConfigSnapshots store = new ConfigSnapshots(dir, later);
        ConfigKey key = ConfigKey.of("app.yaml");
        for (int v = 1; v <= 10; v++) {
            store.save(config(key, v, "v: " + v + "\n"));
        }
        assertThat(queued).as("one drain for the burst").hasSize(1);
        assertThat(store.load(key)).isEmpty();
        queued.get(0).run();
        assertThat(store.load(key).orElseThrow().version()).isEqualTo(10);
    }

    @Test
    void aFlushWritesWhatIsPendingOnTheCallersThread() {
        List<Runnable> neverRun = new ArrayList<>();
        ConfigSnapshots store = new ConfigSnapshots(dir, neverRun::add);
        ConfigKey key = ConfigKey.of("app.yaml");
        store.save(config(key, 1, "a: 1\n"));
        store.save(config(ConfigKey.of("b"), 1, "b"));
        store.flush();
        assertThat(store.load(key)).isPresent();
        assertThat(store.load(ConfigKey.of("b"))).isPresent();
        neverRun.get(0).run(); // the queued writer finds nothing left
        store.save(config(key, 2, "a: 2\n"));
        assertThat(neverRun).as("a new writer is queued after the old one finished").hasSize(2);
    }

    @Test
    void aForgottenConfigsFileIsRemoved() {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        ConfigKey key = ConfigKey.of("app.yaml");
        store.save(config(key, 1, "a: 1\n"));
        store.forget(key);
        assertThat(Files.exists(store.file(key))).isFalse();
        store.forget(ConfigKey.of("never.yaml")); // nothing to remove: nothing happens
    }

    @Test
    void aCopyReadFromTheSnapshotIsNotWrittenBack() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        ConfigKey key = ConfigKey.of("app.yaml");
        store.save(config(key, 1, "a: 1\n").asFromSnapshot());
        assertThat(Files.exists(store.file(key))).isFalse();
    }

    @Test
    void theFileIsJsonAnOperatorCanRead() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        ConfigKey key = ConfigKey.of("app.yaml");
        store.save(config(key, 3, "a: 1\n"));
        String json = new String(Files.readAllBytes(store.file(key)), StandardCharsets.UTF_8);
        assertThat(json).contains("\"version\" : 3").contains("\"format\" : \"YAML\"").contains("\"content\" : \"a: 1\\n\"");
    }
}
