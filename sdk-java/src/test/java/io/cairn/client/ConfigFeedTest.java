package io.cairn.client;

import static io.cairn.client.FakeConfigServer.events;
import static io.cairn.client.FakeConfigServer.heartbeat;
import static io.cairn.client.FakeConfigServer.ready;
import static io.cairn.client.FakeConfigServer.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.config.ConfigEvent;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Listen stream's client side against a fake server: fan-out, resuming, errors, snapshots. */
class ConfigFeedTest {
    private static final ConfigKey APP = ConfigKey.of("app.yaml");
    private static final ConfigKey DB = ConfigKey.of("db.yaml");

    @TempDir
    Path dir;
    private FakeConfigServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeConfigServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static List<String> appVersions(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(v -> "app.yaml:v" + v).toList();
    }

    @Test
    void aThrowingAndASlowListenerCostNoOtherListenerAVersion() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder plain = new ConfigRecorder();
        ConfigRecorder throwing = ConfigRecorder.throwing();
        ConfigRecorder slow = new ConfigRecorder() {
            @Override
            public void onConfig(Config c) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onConfig(c);
            }
        };
        ConfigSelection selection = ConfigSelection.configs(APP);
        ConfigSubscription a = configs.listen(selection, plain);
        ConfigSubscription b = configs.listen(selection, throwing);
        ConfigSubscription c = configs.listen(selection, slow);
        FakeConfigServer.Stream stream = server.nextStream();
        assertThat(configs.streams()).as("one stream for one selection").isEqualTo(1);
        assertThat(stream.request().getConfigsList()).extracting(k -> k.getDataId()).containsExactly("app.yaml");
        assertThat(stream.request().getClient().getClientId()).isEqualTo("me");
        assertThat(stream.request().getClient().getLabelsMap()).containsEntry("zone", "eu-1");

        stream.send(ready(10, version(APP, 1, 10, "v: 1")));
        for (int v = 2; v <= 20; v++) {
            stream.send(events(10 + v, version(APP, v, 10 + v, "v: " + v)));
        }
        eventually("the plain listener told all 20", () -> plain.versions().size() == 20);
        assertThat(slow.versions().size()).as("the slow listener is behind, and holds nobody up").isLessThan(20);
        eventually("the throwing and the slow listener told all 20", () -> throwing.versions().size() == 20 && slow.versions().size() == 20);
        assertThat(plain.versions()).isEqualTo(appVersions(1, 20));
        assertThat(throwing.versions()).isEqualTo(appVersions(1, 20));
        assertThat(slow.versions()).isEqualTo(appVersions(1, 20));
        assertThat(server.streams).as("no other stream").isEmpty();

        a.close();
        b.close();
        assertThat(configs.streams()).isEqualTo(1);
        c.close();
        assertThat(configs.streams()).isZero();
    }

    @Test
    void aSubscriptionJoiningLaterIsToldTheCurrentVersionsFirst() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder first = new ConfigRecorder();
        configs.listen(ConfigSelection.namespace("default"), first);
        FakeConfigServer.Stream stream = server.nextStream();
        stream.send(ready(10, version(APP, 1, 8, "a"), version(DB, 3, 9, "d")));
        stream.send(events(11, version(APP, 2, 11, "b")));
        eventually("told", () -> first.versions().size() == 3);

        ConfigRecorder later = new ConfigRecorder();
        ConfigSubscription s = configs.listen(ConfigSelection.namespace("default"), later);
        s.ready().get(5, TimeUnit.SECONDS);
        assertThat(later.versions()).containsExactly("app.yaml:v2", "db.yaml:v3");
        assertThat(s.configs()).containsOnlyKeys(APP, DB);
        assertThat(server.streams).isEmpty();
    }

    @Test
    void aBrokenStreamResumesFromTheLastRevisionAHeartbeatIncludedWithNoGapAndNoDuplicate() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder r = new ConfigRecorder();
        ConfigSubscription s = configs.listen(ConfigSelection.configs(APP, DB), r);
        FakeConfigServer.Stream first = server.nextStream();
        assertThat(first.request().getRevision()).isZero();
        first.send(ready(10, version(APP, 1, 7, "a")));
        first.send(events(11, version(APP, 2, 11, "b")));
        first.send(heartbeat(15));
        eventually("told", () -> r.versions().size() == 2);
        first.fail(Status.UNAVAILABLE.withDescription("member stopped"));

        FakeConfigServer.Stream second = server.nextStream();
        assertThat(second.request().getRevision()).as("from the heartbeat's revision").isEqualTo(15);
        second.send(ready(16, version(DB, 1, 16, "d")));
        second.send(events(17, version(APP, 3, 17, "c")));
        eventually("told after resuming", () -> r.versions().size() == 4);
        assertThat(r.versions()).containsExactly("app.yaml:v1", "app.yaml:v2", "db.yaml:v1", "app.yaml:v3");
        assertThat(r.told).containsSubsequence("STALE:true", "STALE:false");
        assertThat(s.stale()).isFalse();
        assertThat(s.toString()).contains("revision 17");
    }

    @Test
    void theRevisionOfAnEventsMessageIsItsLastEventsNotItsHeaders() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder r = new ConfigRecorder();
        configs.listen(ConfigSelection.configs(APP), r);
        FakeConfigServer.Stream first = server.nextStream();
        first.send(ready(10));
        first.send(events(30, version(APP, 1, 20, "a"))); // the header may be ahead of events still to come
        eventually("told", () -> r.versions().size() == 1);
        first.fail(Status.UNAVAILABLE);
        assertThat(server.nextStream().request().getRevision()).isEqualTo(20);
    }

    @Test
    void aStreamThatBreaksBeforeItIsReadyStartsAgainAndTellsNothingTwice() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder r = new ConfigRecorder();
        configs.listen(ConfigSelection.namespace("default"), r);
        FakeConfigServer.Stream first = server.nextStream();
        first.send(events(20, version(APP, 4, 12, "a")));
        first.fail(Status.UNAVAILABLE);
        FakeConfigServer.Stream second = server.nextStream();
        assertThat(second.request().getRevision()).as("not in step before ready: from the start").isZero();
        second.send(ready(21, version(APP, 4, 12, "a"), version(DB, 2, 19, "d")));
        eventually("told", () -> r.versions().size() == 2);
        assertThat(r.versions()).containsExactly("app.yaml:v4", "db.yaml:v2");
    }

    @Test
    void aStreamEndedByACompactionResumesFromTheSameRevision() throws Exception {
        // the server resumes from its history keys, which no compaction removes: nothing is skipped
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder r = new ConfigRecorder();
        configs.listen(ConfigSelection.configs(APP), r);
        FakeConfigServer.Stream first = server.nextStream();
        first.send(ready(10, version(APP, 1, 10, "a")));
        first.fail(Status.OUT_OF_RANGE.withDescription("etcdserver: mvcc: required revision has been compacted"));
        FakeConfigServer.Stream second = server.nextStream();
        assertThat(second.request().getRevision()).isEqualTo(10);
        second.send(ready(50, version(APP, 2, 30, "b"), version(APP, 3, 40, "c")));
        eventually("told", () -> r.versions().size() == 3);
        assertThat(r.versions()).containsExactly("app.yaml:v1", "app.yaml:v2", "app.yaml:v3");
    }

    @Test
    void aRefusalStopsTheListenAndTellsWhy() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder r = new ConfigRecorder();
        ConfigSubscription s = configs.listen(ConfigSelection.namespace("secret"), r);
        server.nextStream().fail(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied"));
        assertThatThrownBy(() -> s.ready().get(5, TimeUnit.SECONDS)).hasMessageContaining("permission denied");
        eventually("told", () -> !r.told.isEmpty());
        assertThat(r.told).containsExactly("ERROR:PERMISSION_DENIED:etcdserver: permission denied");
        Thread.sleep(300);
        assertThat(server.streams).as("not tried again").isEmpty();

        ConfigRecorder again = new ConfigRecorder();
        configs.listen(ConfigSelection.namespace("secret"), again);
        server.nextStream().fail(Status.NOT_FOUND.withDescription("config: namespace not found: secret"));
        eventually("told", () -> !again.told.isEmpty());
        assertThat(again.told).containsExactly("ERROR:NOT_FOUND:config: namespace not found: secret");
    }

    @Test
    void aMemberWithoutALeaderIsTriedAgainFromTheSameRevision() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder r = new ConfigRecorder();
        configs.listen(ConfigSelection.configs(APP), r);
        FakeConfigServer.Stream first = server.nextStream();
        first.send(ready(10, version(APP, 1, 10, "a")));
        first.fail(Status.UNAVAILABLE.withDescription("etcdserver: no leader"));
        FakeConfigServer.Stream second = server.nextStream();
        assertThat(second.request().getRevision()).isEqualTo(10);
        eventually("stale", () -> r.told.contains("STALE:true"));
        second.send(heartbeat(12));
        eventually("current again", () -> r.told.contains("STALE:false"));
    }

    @Test
    void grayCandidatesAndTheirEndAreToldAsTheVersionToUse() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder r = new ConfigRecorder();
        configs.listen(ConfigSelection.configs(APP), r);
        FakeConfigServer.Stream stream = server.nextStream();
        stream.send(ready(10, version(APP, 1, 10, "a")));
        stream.send(events(11).toBuilder().addEvents(ConfigEvent.newBuilder().setConfig(version(APP, 1, 11, "candidate")).setGray(true)).build());
        stream.send(events(12).toBuilder().addEvents(ConfigEvent.newBuilder().setConfig(version(APP, 1, 10, "a")).setGrayEnded(true)).build());
        eventually("told", () -> r.versions().size() == 3);
        assertThat(r.versions()).containsExactly("app.yaml:v1", "app.yaml:v1/gray", "app.yaml:v1");
    }

    @Test
    void aFirstListenThatCannotReachTheClusterIsToldTheSnapshotThenCatchesUp() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        store.save(ConfigWire.config(version(APP, 2, 20, "pool: 10\n"), false));
        Configs configs = server.configs(Duration.ofSeconds(5), store);
        ConfigRecorder r = new ConfigRecorder();
        ConfigView view = configs.view(APP, r);
        server.nextStream().fail(Status.UNAVAILABLE.withDescription("connection refused"));
        view.ready().get(5, TimeUnit.SECONDS);
        assertThat(view.fromSnapshot()).isTrue();
        assertThat(view.stale()).isTrue();
        assertThat(view.getInt("pool", 0)).isEqualTo(10);
        eventually("told", () -> r.told.contains("STALE:true"));
        assertThat(r.versions()).containsExactly("app.yaml:v2/snapshot");

        FakeConfigServer.Stream live = server.nextStream();
        assertThat(live.request().getRevision()).as("a snapshot is no resume point").isZero();
        live.send(ready(25, version(APP, 2, 20, "pool: 10\n")));
        eventually("the same version, now from the cluster", () -> !view.fromSnapshot() && !view.stale());
        assertThat(view.config().orElseThrow().fromSnapshot()).isFalse();
        live.send(events(26, version(APP, 3, 26, "pool: 30\n")));
        eventually("caught up", () -> view.getInt("pool", 0) == 30);
        assertThat(r.versions()).as("the snapshot's version is not told again").containsExactly("app.yaml:v2/snapshot", "app.yaml:v3");
        assertThat(view.fromSnapshot()).isFalse();
        assertThat(view.stale()).isFalse();
        eventually("written", () -> store.load(APP).map(Config::version).orElse(0L) == 3);
    }

    @Test
    void aConfigDeletedWhileTheClientWasAwayIsToldAsDeleted() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        store.save(ConfigWire.config(version(APP, 2, 20, "a"), false));
        store.save(ConfigWire.config(version(DB, 1, 15, "d"), false));
        Configs configs = server.configs(Duration.ofSeconds(5), store);
        ConfigRecorder r = new ConfigRecorder();
        configs.listen(ConfigSelection.namespace("default"), r);
        server.nextStream().fail(Status.UNAVAILABLE);
        r.awaitVersions(2, Duration.ofSeconds(5));

        server.missing.add(DB);
        server.history.put(DB, List.of(version(DB, 2, 22, "").toBuilder().setChange(io.cairn.api.config.Change.DELETED).build(),
                version(DB, 1, 15, "d")));
        server.nextStream().send(ready(30, version(APP, 2, 20, "a"))); // a fresh start leaves deleted configs out
        r.awaitVersions(3, Duration.ofSeconds(5));
        assertThat(r.versions()).containsExactly("app.yaml:v2/snapshot", "db.yaml:v1/snapshot", "db.yaml:v2/deleted");
    }

    @Test
    void aGrayReleaseThatEndedWhileTheClientWasAwayIsReadAgain() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigRecorder r = new ConfigRecorder();
        configs.listen(ConfigSelection.configs(APP), r);
        FakeConfigServer.Stream first = server.nextStream();
        first.send(ready(10, version(APP, 1, 10, "a")));
        first.send(events(11).toBuilder().addEvents(ConfigEvent.newBuilder().setConfig(version(APP, 1, 11, "candidate")).setGray(true)).build());
        r.awaitVersions(2, Duration.ofSeconds(5));
        first.fail(Status.UNAVAILABLE);

        server.stored.put(APP, version(APP, 1, 10, "a")); // aborted meanwhile: this client is served the current version again
        FakeConfigServer.Stream second = server.nextStream();
        assertThat(second.request().getRevision()).isEqualTo(11);
        second.send(ready(14)); // a resumed stream does not mention the release's end
        r.awaitVersions(3, Duration.ofSeconds(5));
        assertThat(r.versions()).containsExactly("app.yaml:v1", "app.yaml:v1/gray", "app.yaml:v1");
        assertThat(server.gets.take().getClient().getClientId()).isEqualTo("me");
    }

    @Test
    void aFirstListenWithNoAnswerWithinTheTimeoutIsToldTheSnapshot() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        store.save(ConfigWire.config(version(APP, 2, 20, "pool: 10\n"), false));
        Configs configs = server.configs(Duration.ofMillis(300), store);
        ConfigRecorder r = new ConfigRecorder();
        ConfigSubscription s = configs.listen(ConfigSelection.configs(APP), r);
        server.nextStream(); // opened, and silent
        s.ready().get(5, TimeUnit.SECONDS);
        assertThat(r.versions()).containsExactly("app.yaml:v2/snapshot");
    }

    @Test
    void everyVersionReceivedIsWrittenToTheSnapshot() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        Configs configs = server.configs(Duration.ofSeconds(5), store);
        configs.listen(ConfigSelection.namespace("default"), new ConfigRecorder());
        FakeConfigServer.Stream stream = server.nextStream();
        stream.send(ready(10, version(APP, 1, 9, "a: 1"), version(DB, 5, 10, "d: 5")));
        eventually("written", () -> store.load(APP).isPresent() && store.load(DB).isPresent());
        assertThat(store.load(DB).orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void aGetThatCannotReachTheClusterIsAnsweredFromTheSnapshot() throws Exception {
        ConfigSnapshots store = new ConfigSnapshots(dir, Runnable::run);
        Configs configs = server.configs(Duration.ofMillis(500), store);
        server.stored.put(APP, version(APP, 4, 40, "x: 4"));
        Config live = configs.sync().get(APP);
        assertThat(live.fromSnapshot()).isFalse();
        assertThat(server.gets.take().getClient().getClientId()).as("the client's identity goes with a get").isEqualTo("me");
        eventually("written", () -> store.load(APP).isPresent());

        server.stored.clear(); // every get now fails as unavailable
        Config kept = configs.sync().get(APP);
        assertThat(kept.fromSnapshot()).isTrue();
        assertThat(kept.version()).isEqualTo(4);
        assertThat(kept.values().getInt("x", 0)).isEqualTo(4);
        assertThatThrownBy(() -> configs.sync().get(DB)).isInstanceOf(CairnException.class)
                .extracting(e -> ((CairnException) e).code()).isEqualTo(CairnException.Code.UNAVAILABLE);

        server.missing.add(APP); // the cluster says it is gone: the snapshot file goes too
        assertThatThrownBy(() -> configs.sync().get(APP)).isInstanceOf(CairnException.class)
                .extracting(e -> ((CairnException) e).code()).isEqualTo(CairnException.Code.NOT_FOUND);
        eventually("removed", () -> store.load(APP).isEmpty());
    }

    @Test
    void aViewParsesEachVersionAndForgetsADeletedOne() throws Exception {
        Configs configs = server.configs(Duration.ofSeconds(5), null);
        ConfigView view = configs.view(APP);
        FakeConfigServer.Stream stream = server.nextStream();
        stream.send(ready(10, version(APP, 1, 10, "db:\n  hosts: [a, b]\n")));
        view.ready().get(5, TimeUnit.SECONDS);
        assertThat(view.values().getList("db.hosts")).containsExactly("a", "b");
        stream.send(events(11, version(APP, 2, 11, "db: {hosts: [c]}")));
        eventually("updated", () -> view.getString("db.hosts[0]", "").equals("c"));
        assertThat(view.values().keys()).containsExactly("db.hosts[0]");
        stream.send(events(12, version(APP, 3, 12, "").toBuilder().setChange(io.cairn.api.config.Change.DELETED).build()));
        eventually("deleted", () -> view.config().isEmpty());
        assertThat(view.values().asMap()).isEmpty();
        view.close();
    }
}
