package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cairn.client.Client;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairnctl config}: an operator's session against a real member with auth on — a YAML
 * file published, read, refused when invalid (the line named, nothing changed), published again
 * with a compare-and-set, its history, a diff, a rollback, all seen by a watch in another
 * process; a namespace exported and imported into a new one; a gray release started and
 * promoted; the audit naming the users; a role granted one namespace and no other.
 */
@ExtendWith(OwnedProcesses.class)
class CairnctlConfigIT {
    private static final String ROOT = " --user root:rootpw";
    private static final String V1 = "db:\n  pool: 20\n  url: jdbc:postgresql://db/orders\nfeatures:\n  - search\n";
    private static final String V2 = "db:\n  pool: 40\n  url: jdbc:postgresql://db/orders\nfeatures:\n  - search\n";
    private static final String CANARY = V2 + "  - recommendations\n";

    @TempDir
    Path dir;

    private Cairnctls cairnctl;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void publishReadRollBackWatchReleaseGraduallyMoveAndAudit() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4").start()) {
            cairnctl = new Cairnctls(cairn.endpoint(), dir);
            cairnctl.ok("user add root --new-user-password=rootpw");
            cairnctl.ok("role add ops");
            cairnctl.ok("user add alice --new-user-password=alicepw");
            cairnctl.ok("user grant-role alice ops");
            cairnctl.ok("auth enable");

            // a YAML file: the format from its extension, the default namespace and group
            write("orders.yaml", V1);
            assertThat(root("config put orders.yaml --file orders.yaml --comment first")).isEqualTo("DEFAULT_GROUP/orders.yaml, 1, YAML\n");
            assertThat(root("config get orders.yaml")).isEqualTo("DEFAULT_GROUP/orders.yaml, 1, YAML\n" + V1);
            Process watch = cairnctl.background("config watch orders.yaml" + ROOT, "watch.out");
            cairnctl.awaitOutput("watch.out", s -> s.equals("PUBLISHED\nDEFAULT_GROUP/orders.yaml, 1, YAML\n" + V1));

            // invalid YAML: the server's error names the line, the exit code is 1, nothing changed
            write("bad.yaml", "db:\n  pool: 40\n  pool: 50\n");
            Etcdctl.Result bad = cairnctl.run("config put orders.yaml --file bad.yaml" + ROOT);
            assertThat(bad.exit()).isEqualTo(Cairnctl.EXIT_ERROR);
            assertThat(bad.output()).startsWith("Error: config: content does not parse as its format: yaml: line 3,")
                    .contains("duplicate key pool").hasLineCount(1);
            assertThat(root("config get orders.yaml --print-value-only")).isEqualTo(V1);

            // a compare-and-set: the version read, then a stale one refused
            write("orders.yaml", V2);
            assertThat(root("config put orders.yaml --file orders.yaml --expect-version 1 --comment 'bigger pool'"))
                    .isEqualTo("DEFAULT_GROUP/orders.yaml, 2, YAML\n");
            Etcdctl.Result stale = cairnctl.run("config put orders.yaml --file orders.yaml --expect-version 1" + ROOT);
            assertThat(stale.exit()).isEqualTo(Cairnctl.EXIT_ERROR);
            assertThat(stale.output()).isEqualTo("Error: config: version conflict: expected version 1, current is 2\n");

            assertThat(root("config history orders.yaml"))
                    .matches("2, PUBLISHED, YAML, \\S+Z, root, bigger pool\n1, PUBLISHED, YAML, \\S+Z, root, first\n");
            assertThat(root("config diff orders.yaml 1")).contains("@@ ").contains("\n-  pool: 20\n+  pool: 40\n");
            assertThat(root("config rollback orders.yaml 1")).isEqualTo("DEFAULT_GROUP/orders.yaml, 3, YAML\n");
            assertThat(root("config get orders.yaml --print-value-only")).isEqualTo(V1);
            assertThat(root("config history orders.yaml")).startsWith("3, ROLLED_BACK, YAML, ");
            // the watch saw every version, in order
            cairnctl.awaitOutput("watch.out", s -> s.equals("PUBLISHED\nDEFAULT_GROUP/orders.yaml, 1, YAML\n" + V1
                    + "PUBLISHED\nDEFAULT_GROUP/orders.yaml, 2, YAML\n" + V2
                    + "ROLLED_BACK\nDEFAULT_GROUP/orders.yaml, 3, YAML\n" + V1));

            // export, then import into a new namespace: the same configs, versions included
            root("config put app.properties 'pool=5' -g billing");
            assertThat(root("config export --output ns.json")).isEqualTo("Namespace default exported to ns.json\n");
            assertThat(root("config namespace create staging --description pre-production"))
                    .isEqualTo("Namespace staging created\n");
            assertThat(root("config import ns.json -n staging")).isEqualTo("Imported into staging: 2 created, 0 updated, 0 skipped\n");
            String listed = root("config list");
            assertThat(listed).isEqualTo("DEFAULT_GROUP/orders.yaml, 3, YAML\nbilling/app.properties, 1, PROPERTIES\n");
            assertThat(root("config list -n staging")).isEqualTo(listed);
            assertThat(root("config get orders.yaml -n staging --print-value-only")).isEqualTo(V1);
            assertThat(root("config namespace list")).isEqualTo("default, 2, (built in)\nstaging, 2, pre-production\n");
            Etcdctl.Result again = cairnctl.run("config import ns.json -n staging" + ROOT);
            assertThat(again.exit()).isEqualTo(Cairnctl.EXIT_ERROR);
            assertThat(again.output()).startsWith("Error: config: version conflict: ");

            // a gray release to the clients labelled zone=eu-1 (cairnctl carries no labels), then promoted
            write("canary.yaml", CANARY);
            assertThat(root("config gray start orders.yaml --file canary.yaml --label zone=eu-1 --comment canary"))
                    .isEqualTo("DEFAULT_GROUP/orders.yaml, base 3, YAML, {zone=eu-1}, [], 0%\n");
            assertThat(root("config gray get orders.yaml")).isEqualTo("DEFAULT_GROUP/orders.yaml, base 3, YAML, {zone=eu-1}, [], 0%\n" + CANARY);
            assertThat(root("config get orders.yaml --print-value-only")).isEqualTo(V1);
            assertThat(root("config gray promote orders.yaml")).isEqualTo("DEFAULT_GROUP/orders.yaml, 4, YAML\n");
            assertThat(root("config get orders.yaml --print-value-only")).isEqualTo(CANARY);
            assertThat(root("config gray get orders.yaml")).isEmpty();
            cairnctl.awaitOutput("watch.out", s -> s.endsWith("GRAY_PROMOTED\nDEFAULT_GROUP/orders.yaml, 4, YAML\n" + CANARY));

            // a role granted one namespace: alice publishes there, and nowhere else
            assertThat(root("config grant ops staging readwrite")).isEqualTo("Role ops updated: readwrite on config namespace staging\n");
            assertThat(cairnctl.ok("config put feature.flags 'search=on' -n staging --comment 'from alice' --user alice:alicepw"))
                    .isEqualTo("DEFAULT_GROUP/feature.flags, 1, TEXT\n");
            Etcdctl.Result denied = cairnctl.run("config put feature.flags 'search=on' --user alice:alicepw");
            assertThat(denied.exit()).isEqualTo(Cairnctl.EXIT_ERROR);
            assertThat(denied.output()).isEqualTo("Error: etcdserver: permission denied\n");

            // the audit: who did what, newest first
            String audit = root("config audit");
            assertThat(audit.lines().map(l -> l.split(", ")[3]).toList()).containsExactly("gray-promote", "gray-start",
                    "publish", "rollback", "publish", "publish");
            assertThat(audit.lines()).allMatch(l -> l.matches("\\S+Z, root, 127\\.0\\.0\\.1\\S*, .*"));
            assertThat(audit).contains(", gray-start, DEFAULT_GROUP/orders.yaml, 3 -> 3, canary\n",
                    ", publish, DEFAULT_GROUP/orders.yaml, 1 -> 2, bigger pool\n");
            assertThat(root("config audit -n staging --by alice"))
                    .matches("\\S+Z, alice, 127\\.0\\.0\\.1\\S*, publish, DEFAULT_GROUP/feature.flags, 0 -> 1, from alice\n");
            assertThat(root("config audit --by alice")).isEmpty();
            assertThat(root("config audit --since 1h")).isEqualTo(audit);
            assertThat(root("config audit --until 2000-01-01")).isEmpty();

            // -w json: the records
            JsonObject got = JsonParser.parseString(root("config get orders.yaml -w json")).getAsJsonObject();
            assertThat(got.get("version").getAsLong()).isEqualTo(4);
            assertThat(got.get("change").getAsString()).isEqualTo("GRAY_PROMOTED");
            assertThat(got.get("author").getAsString()).isEqualTo("root");
            assertThat(got.get("content").getAsString()).isEqualTo(CANARY);
            JsonObject history = JsonParser.parseString(root("config history orders.yaml -w json")).getAsJsonObject();
            assertThat(history.getAsJsonArray("versions")).hasSize(4);
            watch.destroy();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void rolloutStatusAndAPublishThatWaitsForEveryInstance() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            cairnctl = new Cairnctls(cairn.endpoint(), dir);
            assertThat(cairnctl.ok("config put orders.properties pool=10")).isEqualTo("DEFAULT_GROUP/orders.properties, 1, PROPERTIES\n");
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            ConfigKey key = new ConfigKey("default", "DEFAULT_GROUP", "orders.properties");
            try (Client first = instance(cairn, "orders-1"); Client second = instance(cairn, "orders-2")) {
                first.config().sync().listen(ConfigSelection.configs(key), c -> {
                    if (c.content().contains("pool=40")) {
                        await(release);
                    }
                });
                second.config().sync().listen(ConfigSelection.configs(key), c -> {
                    if (c.content().contains("pool=-1")) {
                        throw new IllegalStateException("pool must be positive");
                    }
                });
                cairnctl.awaitOutputOf("config status orders.properties", s -> s.contains("1, 2 instances, 0 failed\n"));

                assertThat(cairnctl.ok("config put orders.properties pool=20 --wait-applied 30s"))
                        .isEqualTo("DEFAULT_GROUP/orders.properties, 2, PROPERTIES\napplied by 2 instances\n");
                assertThat(cairnctl.ok("config status orders.properties")).matches("DEFAULT_GROUP/orders.properties, current 2\n"
                        + "2, 2 instances, 0 failed\norders-1, 2, applied, 127\\.0\\.0\\.1\norders-2, 2, applied, 127\\.0\\.0\\.1\n");

                Etcdctl.Result failed = cairnctl.run("config put orders.properties pool=-1 --wait-applied 30s");
                assertThat(failed.exit()).isEqualTo(Cairnctl.EXIT_ERROR);
                assertThat(failed.output()).isEqualTo("DEFAULT_GROUP/orders.properties, 3, PROPERTIES\n"
                        + "Error: config: 1 of 2 instances failed to apply version 3 of default/DEFAULT_GROUP/orders.properties: "
                        + "orders-2 (version 3, failed: java.lang.IllegalStateException: pool must be positive)\n");

                Etcdctl.Result late = cairnctl.run("config put orders.properties pool=40 --wait-applied 5s");
                assertThat(late.exit()).isEqualTo(Cairnctl.EXIT_ERROR);
                assertThat(late.output()).startsWith("DEFAULT_GROUP/orders.properties, 4, PROPERTIES\n"
                        + "Error: config: 1 of 2 instances have not applied version 4 of default/DEFAULT_GROUP/orders.properties after 5000 ms: "
                        + "orders-1 (version 3)");
                release.countDown();
                cairnctl.awaitOutputOf("config status orders.properties", s -> s.contains("4, 2 instances, 0 failed\n"));
                JsonObject status = JsonParser.parseString(cairnctl.ok("config status orders.properties -w json")).getAsJsonObject();
                assertThat(status.get("current").getAsLong()).isEqualTo(4);
                assertThat(status.getAsJsonArray("receipts")).hasSize(2);
                assertThat(status.getAsJsonArray("receipts").get(1).getAsJsonObject().get("clientId").getAsString()).isEqualTo("orders-2");

                Etcdctl.Result bad = cairnctl.run("config put orders.properties pool=50 --wait-applied soon");
                assertThat(bad.exit()).isEqualTo(Cairnctl.EXIT_BAD_ARGS);
                assertThat(bad.output()).isEqualTo("Error: invalid duration soon\n");
                assertThat(cairnctl.ok("config get orders.properties --print-value-only")).isEqualTo("pool=40\n");
            }
            // the instances closed: their receipts went with them
            assertThat(cairnctl.ok("config status orders.properties")).isEqualTo("DEFAULT_GROUP/orders.properties, current 4\n");
        }
    }

    private static Client instance(CairnProcess cairn, String id) {
        return Client.builder().endpoints(cairn.advertisedClientUrl()).clientId(id).build();
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void badInputIsRefusedAndChangesNothing() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4").start()) {
            cairnctl = new Cairnctls(cairn.endpoint(), dir);
            write("app.json", "{\"pool\": 5}\n");
            assertThat(cairnctl.ok("config put app.json --file app.json --create")).isEqualTo("DEFAULT_GROUP/app.json, 1, JSON\n");
            String[][] refused = {
                {"config put 'bad/name' x", "Error: a data id is made of A-Z a-z 0-9 . _ - : only: \"bad/name\""},
                {"config put app.json x -g ''", "Error: a group is 1 to 128 characters: \"\""},
                {"config put app.json --file app.json --format toml", "Error: unknown format \"toml\" (text, properties, yaml, json or xml)"},
                {"config put app.json x --file app.json", "Error: give the content as VALUE or --file, not both"},
                {"config put app.json --file app.json --create --expect-version 1", "Error: give --create or --expect-version, not both"},
                {"config put app.json --file missing.json", "Error: cannot read missing.json: no such file"},
                {"config import app.json --policy merge", "Error: unknown policy \"merge\" (abort, skip or overwrite)"},
                {"config schema app.json", "Error: give --file SCHEMA or --clear"},
                {"config audit --since yesterday", "Error: invalid time \"yesterday\""},
                {"config gray start app.json --file app.json", "Error: a gray release needs a rule"},
            };
            cairnctl.assertEachFails(Cairnctl.EXIT_BAD_ARGS, refused);
            String[][] failed = {
                {"config put app.json --file app.json --create", "Error: config: version conflict: "},
                {"config put app.json '{\"pool\": 5,\n}'", "Error: config: content does not parse as its format: json: line 2,"},
                {"config put app.json {} -n nowhere", "Error: config: namespace not found: nowhere"},
                {"config get other.json", "Error: config: not found: default/DEFAULT_GROUP/other.json"},
                {"config rollback app.json 7", "Error: config: not found: version 7 of default/DEFAULT_GROUP/app.json"},
                {"config namespace delete default", "Error: config: invalid request: the default namespace cannot be deleted"},
            };
            cairnctl.assertEachFails(Cairnctl.EXIT_ERROR, failed);
            assertThat(cairnctl.ok("config history app.json")).as("nothing was published").startsWith("1, PUBLISHED, JSON, ").hasLineCount(1);
            assertThat(cairnctl.ok("config list")).isEqualTo("DEFAULT_GROUP/app.json, 1, JSON\n");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aReviewedNamespacePublishesOnlyWhatAnotherUserApproved() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4").start()) {
            cairnctl = new Cairnctls(cairn.endpoint(), dir);
            for (String step : new String[] {"user add root --new-user-password=rootpw", "role add writer", "role add reviewer",
                "user add alice --new-user-password=alicepw", "user add bob --new-user-password=bobpw",
                "user grant-role alice writer", "user grant-role alice reviewer", "user grant-role bob reviewer", "auth enable"}) {
                cairnctl.ok(step);
            }
            assertThat(root("config namespace create prod --require-review")).isEqualTo("Namespace prod created\n");
            root("config grant writer prod readwrite");
            assertThat(root("config grant reviewer prod review")).isEqualTo("Role reviewer updated: review on config namespace prod\n");
            assertThat(root("config namespace list")).isEqualTo("default, 0, (built in)\nprod, 0, , review required\n");

            write("orders.yaml", V1);
            String draft = cairnctl.ok("config put orders.yaml --file orders.yaml -n prod --comment first --user alice:alicepw");
            assertThat(draft).matches("Draft \\d+ of DEFAULT_GROUP/orders.yaml, PUBLISHED, base 0, awaits review\n");
            String id = draft.split(" ")[1];
            Etcdctl.Result nothing = cairnctl.run("config get orders.yaml -n prod --user alice:alicepw");
            assertThat(nothing.output()).isEqualTo("Error: config: not found: prod/DEFAULT_GROUP/orders.yaml\n");
            assertThat(cairnctl.ok("config draft list -n prod --user bob:bobpw"))
                    .matches(id + ", DEFAULT_GROUP/orders.yaml, PUBLISHED, 0, alice, \\S+Z, first\n");
            assertThat(cairnctl.ok("config draft show orders.yaml " + id + " -n prod --user bob:bobpw"))
                    .startsWith(draft + "by alice at ").contains("\n+  pool: 20\n");
            Etcdctl.Result own = cairnctl.run("config draft approve orders.yaml " + id + " -n prod --user alice:alicepw");
            assertThat(own.exit()).isEqualTo(Cairnctl.EXIT_ERROR);
            assertThat(own.output()).isEqualTo("Error: config: refused by the namespace's review rule: "
                    + "a draft cannot be approved by its author (alice)\n");
            assertThat(cairnctl.ok("config draft approve orders.yaml " + id + " -n prod --comment ok --user bob:bobpw"))
                    .isEqualTo("DEFAULT_GROUP/orders.yaml, 1, YAML\n");
            assertThat(root("config get orders.yaml -n prod --print-value-only")).isEqualTo(V1);
            assertThat(root("config audit -n prod")).contains(", alice, 127.0.0.1, publish, DEFAULT_GROUP/orders.yaml, 0 -> 1, first, approved by bob\n")
                    .contains(", alice, 127.0.0.1, draft, DEFAULT_GROUP/orders.yaml, 0 -> 0, first\n");

            String delete = cairnctl.ok("config delete orders.yaml -n prod --user alice:alicepw");
            assertThat(cairnctl.ok("config draft reject orders.yaml " + delete.split(" ")[1] + " -n prod --user bob:bobpw"))
                    .isEqualTo("Draft " + delete.split(" ")[1] + " rejected\n");
            assertThat(cairnctl.ok("config draft list -n prod --user bob:bobpw")).isEmpty();
            assertThat(root("config get orders.yaml -n prod")).startsWith("DEFAULT_GROUP/orders.yaml, 1, YAML\n");
            assertThat(root("config namespace review prod off")).isEqualTo("Namespace prod does not require review\n");
            assertThat(cairnctl.ok("config delete orders.yaml -n prod --user alice:alicepw")).isEqualTo("DEFAULT_GROUP/orders.yaml, 2, YAML\n");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void secretsAreMaskedForThoseWhoMayNotRevealThemAndSurviveARotation() throws Exception {
        Path key = dir.resolve("master.json");
        Etcdctl.Result keygen = Etcdctl.run("", CairnProcess.repoRoot().resolve("bin/cairn") + " --secrets-keygen > " + key, dir);
        assertThat(keygen.exit()).as(keygen.output()).isZero();
        assertThat(Files.readString(key)).contains("\"primaryKeyId\"");
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4", "--secrets-key-file", key.toString()).start()) {
            cairnctl = new Cairnctls(cairn.endpoint(), dir);
            for (String step : new String[] {"user add root --new-user-password=rootpw", "role add app", "role add viewer",
                "user add app --new-user-password=apppw", "user add viewer --new-user-password=viewerpw",
                "user grant-role app app", "user grant-role viewer viewer", "auth enable"}) {
                cairnctl.ok(step);
            }
            assertThat(root("config grant app default reveal")).isEqualTo("Role app updated: reveal on config namespace default\n");
            root("config grant viewer default read");
            write("db.yaml", "db:\n  user: app\n  password: s3cret-pw\n");
            assertThat(root("config put db.yaml --file db.yaml --secret-keys db.password")).isEqualTo("DEFAULT_GROUP/db.yaml, 1, YAML\n");

            assertThat(cairnctl.ok("config get db.yaml --print-value-only --user app:apppw")).isEqualTo("db:\n  user: app\n  password: s3cret-pw\n");
            assertThat(cairnctl.ok("config get db.yaml --user viewer:viewerpw")).isEqualTo("DEFAULT_GROUP/db.yaml, 1, YAML\n"
                    + "db:\n  user: app\n  password: \"******\"\n" + "secret values are masked (******): this user may not reveal "
                    + "them in namespace default (cairnctl config grant ROLE default reveal)\n");
            assertThat(cairnctl.ok("config get db.yaml -w json --user viewer:viewerpw"))
                    .contains("\"secrets\":{\"whole\":false,\"keys\":[\"db.password\"]},\"masked\":true");
            assertThat(cairnctl.ok("get /cairn/config/default/DEFAULT_GROUP/db.yaml --print-value-only" + ROOT))
                    .contains("password: \"ENC(cairn:").doesNotContain("s3cret-pw");

            // root, who may reveal, changes the rest and leaves the secret masked: it is kept
            write("db2.yaml", "db:\n  user: app2\n  password: \"******\"\n");
            root("config put db.yaml --file db2.yaml");
            assertThat(cairnctl.ok("config get db.yaml --print-value-only --user app:apppw")).isEqualTo("db:\n  user: app2\n  password: s3cret-pw\n");

            Etcdctl.Result added = Etcdctl.run("", CairnProcess.repoRoot().resolve("bin/cairn") + " --secrets-add-key " + key, dir);
            assertThat(added.output()).isEqualTo("Added a new primary key to " + key + "\n");
            assertThat(root("config rotate-secrets")).isEqualTo("Rewrapped 1 data keys\n");
            Etcdctl.Result denied = cairnctl.run("config rotate-secrets --user app:apppw");
            assertThat(denied.output()).isEqualTo("Error: etcdserver: permission denied\n");
            assertThat(cairnctl.ok("config get db.yaml --print-value-only --user app:apppw")).contains("password: s3cret-pw\n");
        }
    }

    private void write(String file, String content) throws IOException {
        Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
    }

    /** What a command run as root printed; it must succeed. */
    private String root(String args) throws IOException, InterruptedException {
        return cairnctl.ok(args + ROOT);
    }
}
