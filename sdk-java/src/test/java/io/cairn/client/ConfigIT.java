package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.config.AuditQuery;
import io.cairn.client.config.AuditRecord;
import io.cairn.client.config.Change;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigPage;
import io.cairn.client.config.ConfigQuery;
import io.cairn.client.config.ConfigSelection;
import io.cairn.client.config.Expect;
import io.cairn.client.config.Format;
import io.cairn.client.config.GrayRelease;
import io.cairn.client.config.GrayRules;
import io.cairn.client.config.ListeningClient;
import io.cairn.client.config.ImportPolicy;
import io.cairn.client.config.ImportResult;
import io.cairn.client.config.Namespace;
import io.cairn.client.config.Publish;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SDK's config center against one real member: publish, get and listen in order (with a
 * listener that throws), the compare-and-set and the server's refusals, history, diff, rollback,
 * list and delete, gray releases by labels, namespaces, export and import, audit. Each test uses
 * configs of its own on one member shared by the class.
 */
@ExtendWith(OwnedProcesses.class)
class ConfigIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static CairnProcess cairn;
    private static Client client;

    @BeforeAll
    static void start() throws Exception {
        cairn = new CairnProcess(Files.createTempDirectory("config-it").resolve("data")).start();
        client = Client.builder().endpoints(cairn.advertisedClientUrl()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        cairn.close();
    }

    private static List<String> versions(String dataId, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(v -> dataId + ":v" + v).toList();
    }

    @Test
    void everyListenerIsToldEveryVersionInOrderEvenBesideOneThatThrows() throws Exception {
        Configs configs = client.config();
        ConfigKey key = ConfigKey.of("orders", "orders.yaml");
        Config first = configs.sync().publish(Publish.builder(key, "pool: 1\n").format(Format.YAML).mustNotExist()
                .comment("first").build());
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.change()).isEqualTo(Change.PUBLISHED);

        ConfigRecorder plain = new ConfigRecorder();
        ConfigRecorder throwing = ConfigRecorder.throwing();
        try (ConfigSubscription a = configs.sync().listen(ConfigSelection.group("orders"), plain);
             ConfigSubscription b = configs.sync().listen(ConfigSelection.configs(key), throwing)) {
            assertThat(plain.versions()).containsExactly("orders.yaml:v1");
            long expected = 1;
            for (int v = 2; v <= 40; v++) {
                expected = configs.sync().publish(Publish.builder(key, "pool: " + v + "\n").expectVersion(expected).build()).version();
            }
            assertThat(expected).isEqualTo(40);
            plain.awaitVersions(40, WAIT);
            throwing.awaitVersions(40, WAIT);
            assertThat(plain.versions()).isEqualTo(versions("orders.yaml", 1, 40));
            assertThat(throwing.versions()).isEqualTo(versions("orders.yaml", 1, 40));
            Config last = plain.configs.get(39);
            assertThat(last.values().getInt("pool", 0)).isEqualTo(40);
            assertThat(last.format()).as("a publish without a format keeps the config's").isEqualTo(Format.YAML);
            assertThat(last.md5()).isEqualTo(ConfigSnapshots.md5("pool: 40\n"));
            assertThat(a.configs()).containsOnlyKeys(key);
        }

        Config current = configs.sync().get(key);
        assertThat(current.version()).isEqualTo(40);
        assertThat(current.content()).isEqualTo("pool: 40\n");
        assertThat(current.fromSnapshot()).isFalse();
        assertThat(current.time()).isAfter(Instant.now().minusSeconds(120));
        assertThat(configs.sync().get(key, 1).content()).isEqualTo("pool: 1\n");
    }

    @Test
    void aStaleExpectedVersionOrBadContentIsRefusedAndChangesNothing() {
        Configs configs = client.config();
        ConfigKey key = ConfigKey.of("cas.json");
        configs.sync().publish(Publish.builder(key, "{\"a\": 1}").format(Format.JSON).mustNotExist().build());
        assertThatThrownBy(() -> configs.sync().publish(Publish.builder(key, "{\"a\": 2}").mustNotExist().build()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> configs.sync().publish(Publish.builder(key, "{\"a\": 2}").expectVersion(7).build()))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(CairnException.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("config: version conflict");
                });
        assertThatThrownBy(() -> configs.sync().publish(Publish.builder(key, "{\"a\": \n").build()))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(CairnException.Code.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("config: content does not parse as its format").contains("line");
                });
        assertThat(configs.sync().get(key).version()).isEqualTo(1);
        assertThatThrownBy(() -> configs.sync().get(ConfigKey.of("never-published")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.NOT_FOUND));
    }

    @Test
    void historyDiffRollbackListAndDelete() throws Exception {
        Configs configs = client.config();
        ConfigKey key = ConfigKey.of("hist", "app.properties");
        configs.sync().publish(Publish.builder(key, "a=1\nb=2\n").format(Format.PROPERTIES).comment("one").build());
        configs.sync().publish(Publish.builder(key, "a=1\nb=3\n").comment("two").build());

        ConfigPage history = configs.sync().history(key, 0, "");
        assertThat(history.configs()).extracting(Config::version).containsExactly(2L, 1L);
        assertThat(history.configs()).extracting(Config::comment).containsExactly("two", "one");
        ConfigPage firstPage = configs.sync().history(key, 1, "");
        assertThat(firstPage.configs()).hasSize(1);
        assertThat(firstPage.hasMore()).isTrue();
        assertThat(configs.sync().history(key, 1, firstPage.nextPageToken()).configs()).extracting(Config::version).containsExactly(1L);

        String diff = configs.sync().diff(key, 1, 0).unifiedDiff();
        assertThat(diff).contains("-b=2").contains("+b=3");

        Config rolledBack = configs.sync().rollback(key, 1, Expect.version(2), "back");
        assertThat(rolledBack.version()).isEqualTo(3);
        assertThat(rolledBack.change()).isEqualTo(Change.ROLLED_BACK);
        assertThat(rolledBack.sourceVersion()).isEqualTo(1);
        assertThat(configs.sync().get(key).content()).isEqualTo("a=1\nb=2\n");

        ConfigKey other = ConfigKey.of("hist", "other.yaml");
        configs.sync().publish(Publish.builder(other, "x: needle\n").format(Format.YAML).build());
        List<Config> all = configs.sync().listAll(ConfigQuery.builder("default").group("hist").build());
        assertThat(all).extracting(Config::key).containsExactly(key, other);
        assertThat(configs.sync().listAll(ConfigQuery.builder("default").group("hist").dataIdPattern("*.yaml").build()))
                .extracting(Config::key).containsExactly(other);
        List<Config> found = configs.sync().listAll(ConfigQuery.builder("default").contentContains("needle").withContent().build());
        assertThat(found).extracting(Config::key).containsExactly(other);
        assertThat(found.get(0).content()).isEqualTo("x: needle\n");

        Config deleted = configs.sync().delete(other, Expect.version(1), "gone");
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.version()).isEqualTo(2);
        assertThat(configs.sync().listAll(ConfigQuery.builder("default").group("hist").build())).extracting(Config::key)
                .containsExactly(key);
        assertThat(configs.sync().history(other, 0, "").configs()).extracting(Config::change)
                .containsExactly(Change.DELETED, Change.PUBLISHED);
        assertThatThrownBy(() -> configs.sync().get(other)).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(CairnException.Code.NOT_FOUND));
    }

    @Test
    void aDeleteIsToldToListeners() throws Exception {
        Configs configs = client.config();
        ConfigKey key = ConfigKey.of("deleting", "d.txt");
        configs.sync().publish(Publish.builder(key, "x").build());
        ConfigRecorder r = new ConfigRecorder();
        try (ConfigSubscription s = configs.sync().listen(ConfigSelection.group("deleting"), r)) {
            configs.sync().delete(key);
            configs.sync().publish(Publish.builder(key, "y").mustNotExist().build());
            r.awaitVersions(3, WAIT);
            assertThat(r.versions()).containsExactly("d.txt:v1", "d.txt:v2/deleted", "d.txt:v3");
        }
    }

    @Test
    void aGrayReleaseReachesExactlyTheClientsItsLabelsMatchThenPromoteAndAbort() throws Exception {
        ConfigKey key = ConfigKey.of("gray", "feature.properties");
        client.config().sync().publish(Publish.builder(key, "flag=off\n").format(Format.PROPERTIES).build());
        try (Client canary = Client.builder().endpoints(cairn.advertisedClientUrl()).clientId("canary-1")
                .labels(Map.of("zone", "eu-1", "tier", "web")).build();
             Client stable = Client.builder().endpoints(cairn.advertisedClientUrl()).labels(Map.of("zone", "us-1")).build()) {
            ConfigRecorder canaryTold = new ConfigRecorder();
            ConfigRecorder stableTold = new ConfigRecorder();
            ConfigView canaryView = canary.config().sync().view(key, canaryTold);
            ConfigView stableView = stable.config().sync().view(key, stableTold);

            GrayRelease gray = client.config().sync().startGray(key, "flag=on\n", null, GrayRules.labels(Map.of("zone", "eu-1")),
                    "try it in eu-1");
            assertThat(gray.baseVersion()).isEqualTo(1);
            assertThat(client.config().sync().getGray(key)).map(GrayRelease::content).contains("flag=on\n");

            Config canaryGets = canary.config().sync().get(key);
            assertThat(canaryGets.gray()).isTrue();
            assertThat(canaryGets.content()).isEqualTo("flag=on\n");
            Config stableGets = stable.config().sync().get(key);
            assertThat(stableGets.gray()).isFalse();
            assertThat(stableGets.content()).isEqualTo("flag=off\n");
            canaryTold.await("the candidate pushed", WAIT, r -> r.configs.stream().anyMatch(Config::gray));
            assertThat(canaryView.getString("flag", "")).isEqualTo("on");

            // who got it: the member names each listening client and what it was last sent
            List<ListeningClient> listening = client.config().sync().listeners(key);
            assertThat(listening).hasSize(2);
            ListeningClient canaryListens = listening.stream().filter(l -> l.clientId().equals("canary-1")).findFirst().orElseThrow();
            assertThat(canaryListens.gray()).isTrue();
            assertThat(canaryListens.labels()).containsEntry("zone", "eu-1");
            assertThat(canaryListens.md5()).isEqualTo(gray.md5());
            assertThat(canaryListens.seenAddress()).startsWith("127.0.0.1");
            ListeningClient stableListens = listening.stream().filter(l -> !l.clientId().equals("canary-1")).findFirst().orElseThrow();
            assertThat(stableListens.gray()).isFalse();
            assertThat(stableListens.version()).isEqualTo(1);
            assertThat(client.config().sync().listeners(ConfigKey.of("gray", "nobody-listens.properties"))).isEmpty();

            client.config().sync().abortGray(key, "not yet");
            canaryTold.await("back to the current version", WAIT, r -> !r.configs.get(r.configs.size() - 1).gray());
            assertThat(canaryView.getString("flag", "")).isEqualTo("off");
            assertThat(client.config().sync().getGray(key)).isEmpty();

            client.config().sync().startGray(key, "flag=on\n", null, GrayRules.labels(Map.of("zone", "eu-1")), "again");
            canaryTold.await("the candidate again", WAIT, r -> r.configs.get(r.configs.size() - 1).gray());
            Config promoted = client.config().sync().promoteGray(key, "everywhere");
            assertThat(promoted.change()).isEqualTo(Change.GRAY_PROMOTED);
            stableTold.await("the promoted version", WAIT, r -> r.configs.get(r.configs.size() - 1).version() == promoted.version());
            canaryTold.await("the promoted version", WAIT, r -> r.configs.get(r.configs.size() - 1).version() == promoted.version()
                    && !r.configs.get(r.configs.size() - 1).gray());
            assertThat(stableView.getString("flag", "")).isEqualTo("on");
            assertThat(stableTold.configs).as("the stable client never saw a candidate").noneMatch(Config::gray);
            assertThat(stableTold.versions()).containsExactly("feature.properties:v1", "feature.properties:v" + promoted.version());
            canaryView.close();
            stableView.close();
            awaitListeners(key, 0);
        }
    }

    /** A closed listen leaves its member's list (the cancel reaches the member a moment later). */
    private static void awaitListeners(ConfigKey key, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (client.config().sync().listeners(key).size() != count) {
            assertThat(System.nanoTime()).as("%s listeners of %s", count, key).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void namespacesExportImportAndAudit() {
        Configs configs = client.config();
        Namespace made = configs.sync().createNamespace("staging", "before prod");
        assertThat(made.name()).isEqualTo("staging");
        assertThat(made.builtin()).isFalse();
        assertThatThrownBy(() -> configs.sync().createNamespace("staging", "")).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(CairnException.Code.ALREADY_EXISTS));
        assertThat(configs.sync().listNamespaces()).extracting(Namespace::name).contains("default", "staging");
        assertThat(configs.sync().listNamespaces()).filteredOn(Namespace::builtin).extracting(Namespace::name).containsExactly("default");

        ConfigKey a = new ConfigKey("staging", "g", "a.yaml");
        ConfigKey b = new ConfigKey("staging", "g", "b.json");
        configs.sync().publish(Publish.builder(a, "k: v\n").format(Format.YAML).comment("by the IT").build());
        configs.sync().publish(Publish.builder(b, "{\"k\": 1}").format(Format.JSON).build());
        assertThat(configs.sync().describeNamespace("staging").configs()).isEqualTo(2);
        assertThatThrownBy(() -> configs.sync().deleteNamespace("staging")).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(CairnException.Code.FAILED_PRECONDITION));

        String document = configs.sync().exportNamespace("staging");
        configs.sync().createNamespace("staging-copy", "");
        ImportResult imported = configs.sync().importNamespace("staging-copy", document, ImportPolicy.ABORT_ON_CONFLICT, "copy");
        assertThat(imported.created()).isEqualTo(2);
        Config copied = configs.sync().get(new ConfigKey("staging-copy", "g", "a.yaml"));
        assertThat(copied.content()).isEqualTo("k: v\n");
        assertThat(copied.format()).isEqualTo(Format.YAML);
        ImportResult again = configs.sync().importNamespace("staging-copy", document, ImportPolicy.SKIP_EXISTING, "again");
        assertThat(again.skipped()).isEqualTo(2);

        List<AuditRecord> audit = configs.sync().audit(AuditQuery.builder("staging").build()).records();
        assertThat(audit).extracting(AuditRecord::action).contains("namespace-create", "publish");
        assertThat(audit.get(0).time()).isAfterOrEqualTo(audit.get(audit.size() - 1).time());
        assertThat(audit).filteredOn(r -> r.key().map(a::equals).orElse(false)).singleElement()
                .satisfies(r -> assertThat(r.comment()).isEqualTo("by the IT"));
        assertThat(configs.sync().audit(AuditQuery.builder("staging").since(Instant.now().plusSeconds(3600)).build()).records())
                .isEmpty();

        configs.sync().delete(a);
        configs.sync().delete(b);
        configs.sync().deleteNamespace("staging");
        assertThatThrownBy(() -> configs.sync().describeNamespace("staging")).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(CairnException.Code.NOT_FOUND));
    }

    @Test
    void aListenOnANamespaceThatDoesNotExistIsRefused() throws Exception {
        ConfigRecorder r = new ConfigRecorder();
        assertThatThrownBy(() -> client.config().sync().listen(ConfigSelection.namespace("nowhere"), r))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.NOT_FOUND));
    }
}
