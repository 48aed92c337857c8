package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigListener;
import io.cairn.client.config.ConfigSelection;
import io.cairn.client.config.Format;
import io.cairn.client.config.GrayRules;
import io.cairn.client.config.Receipt;
import io.cairn.client.config.Rollout;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.ProcessLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollout receipts against a real member: clients report what their listeners applied, on
 * their own lease, so the rollout shows who runs which version and who failed it, and a publish
 * can wait until every running client applied it.
 */
@ExtendWith(OwnedProcesses.class)
class ConfigRolloutIT {
    private static final ConfigKey KEY = new ConfigKey("default", "DEFAULT_GROUP", "orders.properties");

    @TempDir
    Path dir;

    private CairnProcess cairn;
    private Client admin;

    @BeforeEach
    void start() throws Exception {
        cairn = new CairnProcess(dir.resolve("data")).start();
        admin = Client.builder().endpoints(cairn.advertisedClientUrl()).configReceipts(false).build();
        admin.config().sync().publish(KEY, "pool=10\n", Format.PROPERTIES);
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        cairn.close();
    }

    @Test
    void receiptsComeWithTheirClientsAndGoWithThem() throws Exception {
        Process killed = OwnedProcesses.own(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                RolloutClientMain.class.getName(), cairn.advertisedClientUrl(), KEY.namespace(), KEY.group(), KEY.dataId(),
                "doomed").redirectErrorStream(true).start());
        assertThat(ProcessLines.of("rollout client", killed).until("READY", Duration.ofSeconds(60))).last().isEqualTo("READY");
        try (Client closed = client("closed", Map.of())) {
            closed.config().sync().listen(ConfigSelection.configs(KEY), c -> { });
            Rollout both = awaitStatus(r -> r.receipts().size() == 2);
            assertThat(both.receipts()).extracting(Receipt::clientId).containsExactly("closed", "doomed");
            assertThat(both.receipts()).allSatisfy(r -> {
                assertThat(r.version()).isEqualTo(1);
                assertThat(r.applied()).isTrue();
                assertThat(r.seenAddress()).startsWith("127.0.0.1");
            });
            assertThat(both.versions()).containsExactly(new Rollout.Count(1, false, 2, 0));
        }
        // a client that closes revokes its lease: its receipt goes at once
        assertThat(admin.config().sync().status(KEY).receipts()).extracting(Receipt::clientId).containsExactly("doomed");
        // one that dies goes within its lease's TTL (10 s)
        long killedAt = System.nanoTime();
        OwnedProcesses.kill(killed);
        awaitStatus(r -> r.receipts().isEmpty());
        long goneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        System.out.println("ConfigRolloutIT: a killed client's receipt was gone " + goneMs + " ms after SIGKILL");
        assertThat(goneMs).isBetween(3_000L, 25_000L);
    }

    @Test
    void aFailingListenerIsReportedAndAPublishWaitsForEveryInstance() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ConfigListener slow = c -> {
            if (c.content().contains("pool=40")) {
                await(release);
            }
        };
        ConfigListener picky = c -> {
            if (c.content().contains("pool=-1")) {
                throw new IllegalStateException("pool must be positive");
            }
        };
        try (Client good = client("good", Map.of()); Client strict = client("strict", Map.of());
             Client lagging = client("lagging", Map.of()); Client canary = client("canary", Map.of("role", "canary"))) {
            good.config().sync().listen(ConfigSelection.configs(KEY), c -> { });
            strict.config().sync().listen(ConfigSelection.configs(KEY), picky);
            lagging.config().sync().listen(ConfigSelection.configs(KEY), slow);
            canary.config().sync().listen(ConfigSelection.configs(KEY), c -> { });
            awaitStatus(r -> r.receipts().size() == 4);
            assertThat(admin.config().sync().awaitApplied(KEY, 1, Duration.ofSeconds(30)).receipts()).hasSize(4);

            long bad = admin.config().sync().publish(KEY, "pool=-1\n", Format.PROPERTIES).version();
            assertThatThrownBy(() -> admin.config().sync().awaitApplied(KEY, bad, Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(CairnException.class, e -> {
                        assertThat(e.code()).isEqualTo(CairnException.Code.FAILED_PRECONDITION);
                        assertThat(e.getMessage()).contains("1 of 4 instances failed to apply version 2")
                                .contains("strict (version 2, failed: java.lang.IllegalStateException: pool must be positive)");
                    });
            // the failure ends the wait at once; the others report version 2 as they take it
            awaitStatus(r -> r.versions().equals(List.of(new Rollout.Count(2, false, 4, 1))));

            long fixed = admin.config().sync().publish(KEY, "pool=20\n", Format.PROPERTIES).version();
            Rollout all = admin.config().sync().awaitApplied(KEY, fixed, Duration.ofSeconds(30));
            assertThat(all.versions()).containsExactly(new Rollout.Count(3, false, 4, 0));

            // an instance whose listener is still at work holds the wait until the timeout
            long slowOne = admin.config().sync().publish(KEY, "pool=40\n", Format.PROPERTIES).version();
            assertThatThrownBy(() -> admin.config().sync().awaitApplied(KEY, slowOne, Duration.ofSeconds(2)))
                    .isInstanceOfSatisfying(CairnException.class, e -> {
                        assertThat(e.code()).isEqualTo(CairnException.Code.DEADLINE_EXCEEDED);
                        assertThat(e.getMessage()).contains("1 of 4 instances have not applied version 4")
                                .contains("lagging (version 3)").contains("after 2000 ms");
                    });
            release.countDown();
            assertThat(admin.config().sync().awaitApplied(KEY, slowOne, Duration.ofSeconds(30)).notApplied(slowOne)).isEmpty();

            // a gray release: exactly the clients its rules match run the candidate
            admin.config().sync().startGray(KEY, "pool=50\n", GrayRules.labels(Map.of("role", "canary")));
            Rollout gray = awaitStatus(r -> !r.onGrayCandidate().isEmpty());
            assertThat(gray.gray()).isPresent();
            assertThat(gray.onGrayCandidate()).extracting(Receipt::clientId).containsExactly("canary");
            assertThat(gray.versions()).containsExactly(new Rollout.Count(4, true, 1, 0), new Rollout.Count(4, false, 3, 0));
        }
    }

    @Test
    void aReceiptWaitsForEverySubscriptionOfTheClientAndGoesWithTheLast() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Client app = client("app", Map.of())) {
            var fast = app.config().sync().listen(ConfigSelection.configs(KEY), c -> { });
            var slow = app.config().sync().listen(ConfigSelection.group(KEY.group()), c -> {
                if (c.content().contains("pool=30")) {
                    await(release);
                }
            });
            awaitStatus(r -> r.receipts().size() == 1 && r.receipts().get(0).version() == 1);
            long v2 = admin.config().sync().publish(KEY, "pool=30\n", Format.PROPERTIES).version();
            // the fast listener took version 2 at once; the client has not, while the slow one works
            assertThatThrownBy(() -> admin.config().sync().awaitApplied(KEY, v2, Duration.ofSeconds(2)))
                    .hasMessageContaining("app (version 1)");
            release.countDown();
            admin.config().sync().awaitApplied(KEY, v2, Duration.ofSeconds(30));

            slow.close();
            assertThat(admin.config().sync().status(KEY).receipts()).extracting(Receipt::version).containsExactly(v2);
            // the client lives on, but no longer uses the config: its receipt is withdrawn
            fast.close();
            awaitStatus(r -> r.receipts().isEmpty());
            app.config().sync().listen(ConfigSelection.configs(KEY), c -> { });
            awaitStatus(r -> r.receipts().size() == 1);
        }
    }

    private Client client(String id, Map<String, String> labels) {
        return Client.builder().endpoints(cairn.advertisedClientUrl()).clientId(id).labels(labels).build();
    }

    private Rollout awaitStatus(Predicate<Rollout> until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Rollout last = admin.config().sync().status(KEY);
        while (!until.test(last)) {
            assertThat(System.nanoTime()).as("rollout %s", last).isLessThan(deadline);
            Thread.sleep(100);
            last = admin.config().sync().status(KEY);
        }
        return last;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
