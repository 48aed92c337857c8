package io.cairn.console.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.Auth;
import io.cairn.client.Client;
import io.cairn.client.Put;
import io.cairn.client.Registration;
import io.cairn.client.ConfigView;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Format;
import io.cairn.client.discovery.RegistrationSpec;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.console.ConsoleApplication;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The console in Debian's headless Chromium against a real Cairn member: what an operator does,
 * checked through the SDK as any other client would see it. Auth is switched on last, from the
 * console itself. Every test leaves a screenshot in target/screenshots.
 */
@ExtendWith(OwnedProcesses.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private Path dir;
    private CairnProcess cairn;
    private Client admin;
    private ConfigurableApplicationContext console;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("console-it");
        Path key = dir.resolve("master.json");
        assertThat(io.cairn.server.testing.Etcdctl.run("", CairnProcess.repoRoot().resolve("bin/cairn") + " --secrets-keygen > "
                + key, dir).exit()).isZero();
        cairn = new CairnProcess(dir.resolve("data"), "--secrets-key-file", key.toString()).start();
        admin = Client.builder().endpoints(cairn.advertisedClientUrl()).build();
        console = new SpringApplicationBuilder(ConsoleApplication.class).run("--server.port=0", "--server.address=127.0.0.1",
                "--cairn.console.endpoints=" + cairn.advertisedClientUrl(), "--cairn.console.sample-interval=1s");
        int port = ((WebServerApplicationContext) console).getWebServer().getPort();
        browser = new Browser("http://127.0.0.1:" + port, Path.of("target", "screenshots"));
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (cairn != null) {
            cairn.close();
        }
    }

    @AfterEach
    void screenshot(TestInfo test) throws Exception {
        browser.screenshot(test.getTestMethod().orElseThrow().getName());
    }

    @Test
    @Order(1)
    void withAuthOffTheDashboardOpensWithABannerAndShowsTheMember() {
        browser.open("/");
        browser.waitText("open-banner", "Auth is off");
        browser.waitText("members-grid", "leader");
        assertThat(browser.waitText("members-grid", "healthy")).contains(cairn.advertisedClientUrl());
        browser.waitText("alarms-note", "No alarms");
        browser.waitPresent(By.cssSelector("#charts svg.chart"));
    }

    @Test
    @Order(2)
    void publishDiffAndRollBackAConfig() {
        browser.open("/config");
        browser.click("new-config");
        browser.type("config-data-id", "shop.yaml");
        browser.setValue("config-content", "shop:\n  name: corner\n  open: true\n");
        browser.type("config-comment", "first");
        browser.click("config-publish");
        browser.waitText("config-version", "Version 1");

        browser.setValue("config-content", "shop:\n  name: corner\n  open: false\n");
        browser.type("config-comment", "closed for the day");
        browser.click("config-publish");
        browser.waitText("config-version", "Version 2");
        assertThat(admin.config().sync().get(ConfigKey.of("shop.yaml")).content()).contains("open: false");

        // the server's format error is shown at its line, and nothing is published
        browser.setValue("config-content", "shop:\n  name: corner\n open: [\n");
        browser.click("config-publish");
        assertThat(browser.waitText("config-error", "line")).contains("line 3");
        browser.waitPresent(By.cssSelector("#config-gutter .error-line"));
        assertThat(admin.config().sync().get(ConfigKey.of("shop.yaml")).version()).isEqualTo(2);

        browser.click(By.xpath("//vaadin-tab[normalize-space()='History']"));
        browser.waitPresent(Browser.cell("config-history", "closed for the day"));
        browser.select("diff-from", "1");
        browser.select("diff-to", "2");
        browser.click("diff-show");
        browser.waitPresent(By.cssSelector("#config-diff .diff-changed, #config-diff .diff-removed"));
        assertThat(browser.waitText("config-diff", "open: false")).contains("open: true");

        browser.clickCell("config-history", "first");
        browser.click("config-rollback");
        browser.confirm();
        browser.waitText("config-version", "Version 3");
        assertThat(admin.config().sync().get(ConfigKey.of("shop.yaml")).content()).contains("open: true");

        browser.open("/audit");
        browser.waitText("audit-grid", "closed for the day");
    }

    @Test
    @Order(3)
    void aGrayReleaseShowsWhoGotTheCandidateAndIsPromoted() throws Exception {
        ConfigKey key = ConfigKey.of("feature.properties");
        admin.config().sync().publish(key, "flag=off\n", Format.PROPERTIES);
        try (Client canary = Client.builder().endpoints(cairn.advertisedClientUrl()).clientId("canary-1")
                .labels(Map.of("zone", "eu-1")).build();
             Client stable = Client.builder().endpoints(cairn.advertisedClientUrl()).clientId("stable-1")
                     .labels(Map.of("zone", "us-1")).build();
             Client picky = Client.builder().endpoints(cairn.advertisedClientUrl()).clientId("picky-1").build();
             ConfigView canaryView = canary.config().sync().view(key);
             ConfigView stableView = stable.config().sync().view(key)) {
            picky.config().sync().listen(io.cairn.client.config.ConfigSelection.configs(key), c -> {
                if (c.content().contains("flag=on")) {
                    throw new IllegalStateException("flag=on needs a licence");
                }
            });
            browser.open("/config");
            browser.clickCell("config-grid", "feature.properties");
            browser.click("config-tab-gray");
            browser.waitText("gray-receivers-summary", "0 of 3 listening clients");
            browser.setValue("gray-content", "flag=on\n");
            browser.type("gray-labels", "zone=eu-1");
            browser.type("gray-comment", "try it in eu-1");
            browser.click("gray-start");
            // the candidate reaches the listen a moment after the release commits: ask until it has
            await(() -> {
                browser.click("gray-receivers-refresh");
                return browser.byId("gray-receivers-summary").getText().contains("1 of 3 listening clients were sent the candidate");
            }, "the member says the canary was sent the candidate");
            assertThat(browser.waitText("gray-receivers", "candidate")).contains("canary-1").contains("stable-1");
            await(() -> canaryView.getString("flag", "").equals("on"), "the canary runs the candidate");
            assertThat(stableView.getString("flag", "")).isEqualTo("off");
            browser.scrollTo("gray-current");
            browser.screenshot("gray-release-receivers");

            // the rollout, as the instances report it: who runs the candidate
            browser.click("config-tab-rollout");
            awaitRollout("2 of 3 instances applied version 1; 1 runs the gray candidate.");
            assertThat(browser.waitText("rollout-receipts", "gray candidate")).contains("canary-1").contains("stable-1").contains("picky-1");

            browser.click("config-tab-gray");
            browser.click("gray-promote");
            browser.confirm();
            await(() -> stableView.getString("flag", "").equals("on"), "the promoted version reaches everyone");
            assertThat(admin.config().sync().getGray(key)).isEmpty();
            // and who failed to apply the promoted version, with its listener's error
            browser.click("config-tab-rollout");
            awaitRollout("2 of 3 instances applied version 2; 1 failed to apply it.");
            assertThat(browser.waitText("rollout-receipts", "flag=on needs a licence")).contains("failed");
            browser.screenshot("rollout-failure");
        }
    }

    @Test
    @Order(4)
    void anInstanceTakenOutOfServiceIsSkippedByLookups() throws Exception {
        ServiceKey orders = ServiceKey.of("orders");
        try (Registration a = admin.discovery().sync().register(RegistrationSpec.builder(orders).address("127.0.0.1", 7001).id("orders-a").ttl(Duration.ofSeconds(10)).build());
             Registration b = admin.discovery().sync().register(RegistrationSpec.builder(orders).address("127.0.0.1", 7002).id("orders-b").ttl(Duration.ofSeconds(10)).build())) {
            browser.open("/services");
            browser.clickCell("services-grid", "orders");
            browser.waitPresent(Browser.cell("instances-grid", "orders-b"));
            browser.clickInRow("instances-grid", "orders-b", "instance-out");
            browser.confirm();
            browser.waitText("instances-grid", "OUT_OF_SERVICE");
            browser.scrollGridHome("instances-grid");
            browser.screenshot("services-out-of-service");
            List<ServiceInstance> healthy = admin.discovery().sync().listInstances(orders).instances();
            assertThat(healthy).extracting(ServiceInstance::id).containsExactly("orders-a");

            browser.clickInRow("instances-grid", "orders-b", "instance-in");
            await(() -> admin.discovery().sync().listInstances(orders).instances().size() == 2, "both instances healthy again");
        }
    }

    @Test
    @Order(5)
    void browseKeysAndRevokeALease() {
        long lease = admin.lease().sync().grant(600).id();
        admin.kv().sync().put(Put.key("/demo/leased", "soon gone").lease(lease));
        admin.kv().sync().put("/demo/plain", "stays");

        browser.open("/keys");
        browser.type("keys-prefix", "/demo/");
        browser.clickCell("keys-tree", "plain");
        browser.waitText("key-value", "stays");

        browser.open("/leases");
        browser.clickInRow("leases-grid", Long.toHexString(lease), "lease-revoke");
        browser.confirm();
        browser.waitText("leases-summary", "0 leases");
        assertThat(admin.kv().sync().get("/demo/leased").kvs()).isEmpty();
        assertThat(admin.kv().sync().get("/demo/plain").kvs()).hasSize(1);
    }

    @Test
    @Order(6)
    void aUserSignsInAndIsRefusedWhatTheirRoleDoesNotAllow() {
        Auth.Sync auth = admin.auth().sync();
        auth.userAdd("root", "rootpw");
        auth.roleAdd("root");
        auth.userGrantRole("root", "root");

        browser.open("/access");
        browser.click("role-add");
        browser.type("new-role-name", "shop-reader");
        browser.click("new-role-save");
        browser.clickInRow("roles-grid", "shop-reader", "role-grant");
        browser.type("perm-key", "/demo/");
        browser.select("perm-type", "READ");
        browser.click("perm-save");
        browser.waitText("roles-grid", "read prefix /demo/");

        browser.click("user-add");
        browser.type("new-user-name", "carol");
        browser.type("new-user-password", "carolpw");
        browser.type("new-user-role", "shop-reader");
        browser.click("new-user-save");
        browser.waitText("users-grid", "carol");
        assertThat(auth.userGet("carol").items()).containsExactly("shop-reader");

        browser.click("auth-enable");
        browser.confirm();
        browser.byId("sign-in");
        assertThat(browser.url()).endsWith("/login");

        browser.type("username", "carol");
        browser.type("password", "wrong");
        browser.click("sign-in");
        browser.waitText("login-error", "authentication failed");

        browser.type("username", "carol");
        browser.type("password", "carolpw");
        browser.click("sign-in");
        browser.waitText("signed-in-as", "carol");
        // with auth on, the member list and each member's status are asked as carol
        browser.waitText("members-grid", "leader");
        browser.waitText("members-grid", "healthy");

        browser.open("/keys");
        browser.type("keys-prefix", "/demo/");
        browser.clickCell("keys-tree", "plain");
        browser.waitText("key-value", "stays");
        browser.setValue("key-value", "changed by carol");
        browser.click("key-save");
        assertThat(browser.waitNotification("permission denied")).as("no other error on the way").doesNotContain("Cannot reach");

        browser.click("sign-out");
        browser.byId("sign-in");
        try (Client root = Client.builder().endpoints(cairn.advertisedClientUrl()).user("root", "rootpw").build()) {
            assertThat(root.kv().sync().get("/demo/plain").first().valueString()).isEqualTo("stays");
            root.auth().sync().disable();
        }
        assertThatThrownBy(() -> auth.userGet("nobody")).hasMessageContaining("user name not found");
    }

    @Test
    @Order(7)
    void aDraftInAReviewedNamespaceIsPublishedOnlyOnceAnotherUserApprovesIt() throws Exception {
        browser.open("/config");
        browser.click("new-namespace");
        browser.type("namespace-name", "payments");
        browser.click("namespace-review");
        browser.click("namespace-create");
        browser.waitNotification("Created namespace payments");
        assertThat(admin.config().sync().describeNamespace("payments").reviewRequired()).isTrue();

        Auth.Sync auth = admin.auth().sync();
        auth.roleAdd("pay-writer");
        auth.roleAdd("pay-reviewer");
        io.cairn.client.config.ConfigAccess.grant(admin, "pay-writer", "payments", io.cairn.client.config.ConfigAccess.Level.READ_WRITE).join();
        io.cairn.client.config.ConfigAccess.grant(admin, "pay-reviewer", "payments", io.cairn.client.config.ConfigAccess.Level.REVIEW).join();
        auth.userAdd("dave", "davepw");
        auth.userGrantRole("dave", "pay-writer");
        auth.userAdd("erin", "erinpw");
        auth.userGrantRole("erin", "pay-reviewer");
        auth.enable();

        signIn("dave");
        browser.open("/config");
        browser.select("config-namespace", "payments");
        browser.click("new-config");
        browser.type("config-data-id", "fees.yaml");
        browser.setValue("config-content", "fees:\n  card: 1.5\n");
        browser.type("config-comment", "card fees");
        browser.click("config-publish");
        browser.waitNotification("awaits a reviewer");
        ConfigKey fees = new ConfigKey("payments", ConfigKey.DEFAULT_GROUP, "fees.yaml");
        try (Client root = Client.builder().endpoints(cairn.advertisedClientUrl()).user("root", "rootpw").build()) {
            assertThat(root.config().sync().drafts("payments")).singleElement()
                    .satisfies(d -> assertThat(d.author()).isEqualTo("dave"));
            assertThatThrownBy(() -> root.config().sync().get(fees)).hasMessageContaining("not found");
        }
        // dave may not approve his own draft
        browser.click("config-drafts");
        browser.clickCell("drafts-grid", "card fees");
        browser.waitText("draft-diff", "card: 1.5");
        browser.click("draft-approve");
        browser.waitNotification("permission denied");
        browser.click("drafts-close");

        browser.click("sign-out");
        signIn("erin");
        browser.open("/config");
        browser.select("config-namespace", "payments");
        browser.click("config-drafts");
        browser.clickCell("drafts-grid", "card fees");
        browser.waitText("draft-diff", "card: 1.5");
        browser.type("draft-comment", "checked with finance");
        browser.screenshot("draft-review");
        browser.click("draft-approve");
        browser.waitNotification("is published");
        browser.click("drafts-close");
        browser.waitPresent(Browser.cell("config-grid", "fees.yaml"));

        browser.click("sign-out");
        browser.byId("sign-in");
        try (Client root = Client.builder().endpoints(cairn.advertisedClientUrl()).user("root", "rootpw").build()) {
            assertThat(root.config().sync().get(fees).author()).isEqualTo("dave");
            assertThat(root.config().sync().audit(io.cairn.client.config.AuditQuery.builder("payments").build()).records().get(0))
                    .satisfies(a -> {
                        assertThat(a.action()).isEqualTo("publish");
                        assertThat(a.reviewer()).isEqualTo("erin");
                    });
            root.auth().sync().disable();
        }
    }

    @Test
    @Order(8)
    void aWriterWhoMayNotRevealASecretSeesItMaskedAndKeepsItByLeavingItSo() throws Exception {
        ConfigKey vault = ConfigKey.of("vault.yaml");
        admin.config().sync().publish(io.cairn.client.config.Publish.builder(vault, "db:\n  pool: 5\n  password: pa55-word\n")
                .format(io.cairn.client.config.Format.YAML).secretKeys("db.password").build());
        Auth.Sync auth = admin.auth().sync();
        auth.roleAdd("vault-writer");
        io.cairn.client.config.ConfigAccess.grant(admin, "vault-writer", "default", io.cairn.client.config.ConfigAccess.Level.READ_WRITE).join();
        auth.userAdd("frank", "frankpw");
        auth.userGrantRole("frank", "vault-writer");
        auth.enable();

        signIn("frank");
        browser.open("/config");
        browser.clickCell("config-grid", "vault.yaml");
        browser.waitText("config-masked", "may not reveal");
        assertThat(browser.waitText("config-content", "password")).doesNotContain("pa55-word");
        assertThat(String.valueOf(browser.byId("config-content").getAttribute("value"))).contains("password: \"******\"");
        assertThat(String.valueOf(browser.byId("config-secret-keys").getAttribute("value"))).isEqualTo("db.password");
        browser.setValue("config-content", "db:\n  pool: 6\n  password: \"******\"\n");
        browser.type("config-comment", "a bigger pool");
        browser.click("config-publish");
        browser.waitText("config-version", "Version 2");

        browser.click("sign-out");
        browser.byId("sign-in");
        try (Client root = Client.builder().endpoints(cairn.advertisedClientUrl()).user("root", "rootpw").build()) {
            assertThat(root.config().sync().get(vault).content()).isEqualTo("db:\n  pool: 6\n  password: pa55-word\n");
            root.auth().sync().disable();
        }
    }

    private void signIn(String user) {
        browser.open("/login");
        browser.type("username", user);
        browser.type("password", user + "pw");
        browser.click("sign-in");
        browser.waitText("signed-in-as", user);
    }

    /** Asks the Rollout tab again until its summary says {@code text}. */
    private void awaitRollout(String text) throws InterruptedException {
        await(() -> {
            browser.click("rollout-refresh");
            return browser.byId("rollout-summary").getText().equals(text);
        }, "the rollout says: " + text);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
