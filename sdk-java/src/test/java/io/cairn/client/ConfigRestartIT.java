package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;
import io.cairn.client.config.Format;
import io.cairn.client.config.Publish;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listens and gets across a member that goes away: a listen resumes after a restart with no
 * version missed or told twice; an application started while the cluster is down gets the
 * snapshot file's version, then catches up when the cluster is back.
 */
@ExtendWith(OwnedProcesses.class)
class ConfigRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Client client(CairnProcess cairn, Path snapshots) {
        Client.Builder b = Client.builder().endpoints(cairn.advertisedClientUrl()).timeout(Duration.ofSeconds(3));
        return (snapshots == null ? b : b.configSnapshots(snapshots)).build();
    }

    private static List<String> versions(String dataId, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(v -> dataId + ":v" + v).toList();
    }

    private static void publish(Client c, ConfigKey key, int from, int to) {
        for (int v = from; v <= to; v++) {
            c.config().sync().publish(Publish.builder(key, "n: " + v + "\n").format(Format.YAML).build());
        }
    }

    @Test
    void aListenResumesAfterTheMemberRestartsWithNoGapAndNoDuplicate() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        ConfigKey a = ConfigKey.of("restart", "a.yaml");
        ConfigKey b = ConfigKey.of("restart", "b.yaml");
        try (Client listener = client(cairn, null)) {
            try (Client writer = client(cairn, null)) {
                publish(writer, a, 1, 5);
            }
            ConfigRecorder r = new ConfigRecorder();
            ConfigSubscription s = listener.config().sync().listen(ConfigSelection.group("restart"), r);
            try (Client writer = client(cairn, null)) {
                publish(writer, a, 6, 10);
            }
            r.awaitVersions(6, WAIT);
            assertThat(r.versions()).as("the current version, then each new one").isEqualTo(versions("a.yaml", 5, 10));

            cairn.stop();
            r.awaitTold("STALE:true", WAIT);
            assertThat(s.stale()).isTrue();
            cairn.start();
            try (Client writer = client(cairn, null)) {
                publish(writer, a, 11, 20);
                publish(writer, b, 1, 3);
            }
            r.awaitVersions(19, WAIT);
            r.awaitTold("STALE:false", WAIT);
            assertThat(r.versions().stream().filter(v -> v.startsWith("a.yaml")).toList()).isEqualTo(versions("a.yaml", 5, 20));
            assertThat(r.versions().stream().filter(v -> v.startsWith("b.yaml")).toList()).isEqualTo(versions("b.yaml", 1, 3));
            assertThat(r.configs).extracting(Config::revision).as("in revision order").isSorted();
            Thread.sleep(1000);
            assertThat(r.versions()).as("nothing told twice, later either").hasSize(19);

            // a kill, not a clean stop: the same
            cairn.kill();
            r.awaitTold("STALE:true", WAIT);
            cairn.start();
            try (Client writer = client(cairn, null)) {
                publish(writer, a, 21, 22);
            }
            r.awaitVersions(21, WAIT);
            assertThat(r.versions().subList(19, 21)).containsExactly("a.yaml:v21", "a.yaml:v22");
            s.close();
        } finally {
            cairn.close();
        }
    }

    @Test
    void anApplicationStartedWhileTheClusterIsDownGetsTheSnapshotThenCatchesUp() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        Path snapshots = dir.resolve("snapshots");
        ConfigKey key = ConfigKey.of("app.yaml");
        try {
            try (Client app = client(cairn, snapshots)) {
                app.config().sync().publish(Publish.builder(key, "pool: 10\n").format(Format.YAML).build());
                assertThat(app.config().sync().get(key).version()).isEqualTo(1);
            }
            Path file = snapshots.resolve("default/DEFAULT_GROUP/app.yaml.json");
            assertThat(Files.readString(file)).contains("pool: 10");
            cairn.stop();

            try (Client app = client(cairn, snapshots)) {
                Config got = app.config().sync().get(key);
                assertThat(got.fromSnapshot()).as("a get while the cluster is down").isTrue();
                assertThat(got.values().getInt("pool", 0)).isEqualTo(10);

                ConfigRecorder r = new ConfigRecorder();
                ConfigView view = app.config().sync().view(key, r);
                assertThat(view.fromSnapshot()).isTrue();
                assertThat(view.stale()).isTrue();
                assertThat(view.getInt("pool", 0)).isEqualTo(10);
                assertThat(r.versions()).containsExactly("app.yaml:v1/snapshot");

                cairn.start();
                r.awaitTold("STALE:false", WAIT);
                assertThat(view.fromSnapshot()).isFalse();
                try (Client operator = client(cairn, null)) {
                    operator.config().sync().publish(Publish.builder(key, "pool: 30\n").build());
                }
                r.awaitVersions(2, WAIT);
                assertThat(r.versions()).as("the snapshot's version is not told again").containsExactly("app.yaml:v1/snapshot", "app.yaml:v2");
                assertThat(view.getInt("pool", 0)).isEqualTo(30);
                r.await("the snapshot file written", WAIT, x -> {
                    try {
                        return Files.readString(file).contains("pool: 30");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                view.close();
            }
        } finally {
            cairn.close();
        }
    }
}
