package io.cairn.server.e2e;

import static io.cairn.server.e2e.ConfigIT.assertError;
import static io.cairn.server.e2e.ConfigIT.key;
import static io.cairn.server.e2e.ConfigIT.publish;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.DiffRequest;
import io.cairn.api.config.ExportRequest;
import io.cairn.api.config.Format;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.ListenResponse;
import io.cairn.api.config.RotateSecretsRequest;
import io.cairn.api.config.Secrets;
import io.cairn.server.secrets.MasterKey;
import io.cairn.server.testing.ByteSearch;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets on real members: sealed by the member that takes the write, so never in clear on any
 * member's disk (raft log, database, snapshots) or in its log; revealed only to those who may;
 * still readable after the master key is rotated and the old one dropped, and after a restore.
 */
@ExtendWith(OwnedProcesses.class)
class SecretsIT {
    @TempDir
    Path dir;

    @Test
    void aSecretIsInClearNowhereOnTheMembersAndRevealedOnlyToThoseWhoMay() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("master.json"), MasterKey.generate());
        String password = "Hunter2-" + UUID.randomUUID();
        String token = "tok-" + UUID.randomUUID();
        try (CairnCluster cluster = CairnCluster.start(dir, 3, "--secrets-key-file", keyFile.toString())) {
            CairnProcess leader = cluster.awaitLeader(10_000);
            CairnProcess follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
            String[] steps = {"user add root --new-user-password=rootpw", "user add app --new-user-password=apppw",
                "user add viewer --new-user-password=viewerpw", "role add prod-app", "role add prod-view",
                "role grant-permission prod-app --prefix read /cairn/config/prod/",
                "role grant-permission prod-app --prefix read /cairn/config-meta/prod/",
                "role grant-permission prod-app --prefix read /cairn/config-history/prod/",
                "role grant-permission prod-app --prefix read /cairn/config-gray/prod/",
                "role grant-permission prod-app --prefix read /cairn/config-reveal/prod/",
                "role grant-permission prod-view --prefix read /cairn/config/prod/",
                "role grant-permission prod-view --prefix read /cairn/config-meta/prod/",
                "role grant-permission prod-view --prefix read /cairn/config-history/prod/",
                "role grant-permission prod-view --prefix read /cairn/config-gray/prod/",
                "user add ops --new-user-password=opspw", "role add prod-ops",
                "role grant-permission prod-ops --prefix readwrite /cairn/config/prod/",
                "role grant-permission prod-ops --prefix read /cairn/config-meta/prod/",
                "role grant-permission prod-ops --prefix read /cairn/config-gray/prod/",
                "user add backup --new-user-password=backuppw", "role add backup", "role grant-permission backup --prefix read /cairn/",
                "user grant-role app prod-app", "user grant-role viewer prod-view", "user grant-role ops prod-ops",
                "user grant-role backup backup", "auth enable"};
            for (String step : steps) {
                assertThat(Etcdctl.run(leader.endpoint(), "etcdctl " + step).exit()).as(step).isZero();
            }
            ManagedChannel channel = follower.channel();
            try {
                ConfigGrpc.ConfigBlockingStub root = ConfigAuthIT.as(channel, "root", "rootpw");
                ConfigGrpc.ConfigBlockingStub app = ConfigAuthIT.as(channel, "app", "apppw");
                ConfigGrpc.ConfigBlockingStub viewer = ConfigAuthIT.as(channel, "viewer", "viewerpw");
                root.createNamespace(CreateNamespaceRequest.newBuilder().setName("prod").build());
                ConfigKey db = key("prod", "g", "db.yaml");
                // taken by a follower: it seals, then forwards only tokens to the leader
                root.publish(publish(db, "db:\n  user: app\n  password: " + password + "\n", Format.YAML)
                        .setSecrets(Secrets.newBuilder().addKeys("db.password")).build());
                ConfigKey api = key("prod", "g", "api-token");
                root.publish(publish(api, token, Format.TEXT).setSecrets(Secrets.newBuilder().setWhole(true)).build());

                assertThat(get(app, db, true)).isEqualTo("db:\n  user: app\n  password: " + password + "\n");
                assertThat(get(app, db, false)).isEqualTo("db:\n  user: app\n  password: \"******\"\n");
                assertThat(get(viewer, db, false)).isEqualTo("db:\n  user: app\n  password: \"******\"\n");
                assertThat(get(viewer, db, true)).as("asked to reveal, but may not").isEqualTo("db:\n  user: app\n  password: \"******\"\n");
                assertThat(viewer.get(GetRequest.newBuilder().setKey(db).setReveal(true).build()).getConfig().getMasked()).isTrue();
                assertThat(app.get(GetRequest.newBuilder().setKey(db).setReveal(true).build()).getConfig().getMasked()).isFalse();
                assertThat(get(app, api, true)).isEqualTo(token);
                assertThat(get(viewer, api, false)).isEqualTo("******");

                // a writer who may not reveal the secret changes the rest and keeps it
                ConfigGrpc.ConfigBlockingStub ops = ConfigAuthIT.as(channel, "ops", "opspw");
                assertThat(get(ops, db, true)).isEqualTo("db:\n  user: app\n  password: \"******\"\n");
                ops.publish(publish(db, "db:\n  user: app2\n  password: \"******\"\n", Format.YAML).build());
                assertThat(get(app, db, true)).isEqualTo("db:\n  user: app2\n  password: " + password + "\n");
                // ... but may not learn it: a sealed value copied from the raw key is refused, so is a schema
                // checked against it, and the checks' errors say nothing of it
                String sealed = Etcdctl.run(leader.endpoint(), "etcdctl --user=root:rootpw get /cairn/config/prod/g/db.yaml "
                        + "--print-value-only").output().replaceAll("(?s).*password: (\"ENC\\(cairn:[^)]*\\)\").*", "$1");
                assertThat(sealed).startsWith("\"ENC(cairn:");
                assertError(() -> ops.publish(publish(key("prod", "g", "probe.yaml"), sealed + ": 1\n" + sealed + ": 2\n", Format.YAML)
                        .build()), "INVALID_ARGUMENT", "content may not hold sealed values");
                assertError(() -> ops.setSchema(io.cairn.api.config.SetSchemaRequest.newBuilder().setKey(db)
                        .setJsonSchema("{\"properties\": {\"db\": {\"properties\": {\"password\": {\"pattern\": \"^H\"}}}}}").build()),
                        "PERMISSION_DENIED", "permission denied");
                root.setSchema(io.cairn.api.config.SetSchemaRequest.newBuilder().setKey(db)
                        .setJsonSchema("{\"properties\": {\"db\": {\"properties\": {\"password\": {\"pattern\": \"^H\"}}}}}").build());
                assertError(() -> ops.publish(publish(db, "db:\n  user: app3\n  password: \"******\"\n", Format.YAML)
                        .setSecrets(Secrets.newBuilder().addKeys("db.user")).build()), "INVALID_ARGUMENT", "no longer secret");
                // a role that reads everything reveals nothing: secrets are given by name only
                assertThat(get(ConfigAuthIT.as(channel, "backup", "backuppw"), db, true)).contains("password: \"******\"");
                assertThat(root.diff(DiffRequest.newBuilder().setKey(db).setFromVersion(1).build()).getUnifiedDiff())
                        .contains("-  user: app\n+  user: app2\n").doesNotContain(password);
                assertThat(root.export(ExportRequest.newBuilder().setNamespace("prod").build()).getDocument())
                        .doesNotContain(password).doesNotContain(token);

                // a listener that may reveal gets the clear value, on any member
                Iterator<ListenResponse> events = ConfigGrpc.newBlockingStub(io.grpc.ClientInterceptors.intercept(
                        leader.channel(), ConfigAuthIT.token(leader.channel(), "app", "apppw"))).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .listen(ListenRequest.newBuilder().setNamespace("prod").addConfigs(db).setReveal(true).build());
                assertThat(events.next().getEvents(0).getConfig().getContent()).contains("password: " + password);

                // through the plain KV API, only the sealed token is there
                String raw = Etcdctl.run(leader.endpoint(), "etcdctl --user=root:rootpw get /cairn/config/prod/g/db.yaml --print-value-only").output();
                assertThat(raw).contains("password: \"ENC(cairn:").doesNotContain(password);
            } finally {
                channel.shutdownNow();
            }
            for (CairnProcess m : cluster.members()) {
                assertThat(m.log()).doesNotContain(password).doesNotContain(token);
            }
            // every member's raft log, database and log file, and the test's own files
            assertThat(ByteSearch.filesHolding(dir, password)).isEmpty();
            assertThat(ByteSearch.filesHolding(dir, token)).isEmpty();
        }
    }

    @Test
    void secretsOutliveAMasterKeyRotationAndARestore() throws Exception {
        String first = MasterKey.generate();
        Path keyFile = Files.writeString(dir.resolve("master.json"), first);
        String password = "pw-" + UUID.randomUUID();
        ConfigKey app = key("default", "g", "app.properties");
        Path snap = dir.resolve("backup.db");
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--secrets-key-file", keyFile.toString()).start()) {
            ManagedChannel channel = cairn.channel();
            try {
                ConfigGrpc.ConfigBlockingStub config = ConfigGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                config.publish(publish(app, "user=app\npassword=" + password + "\n", Format.PROPERTIES)
                        .setSecrets(Secrets.newBuilder().addKeys("password")).build());
                // the operator adds a new primary key to every member's file, then rotates
                Files.writeString(keyFile, MasterKey.rotate(first));
                assertThat(config.rotateSecrets(RotateSecretsRequest.getDefaultInstance()).getRewrapped()).isEqualTo(1);
                assertThat(get(config, app, true)).isEqualTo("user=app\npassword=" + password + "\n");
            } finally {
                channel.shutdownNow();
            }
            assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl snapshot save " + snap).exit()).isZero();

            // the old key dropped and the member restarted: what the rotation rewrapped still opens
            cairn.stop();
            Files.writeString(keyFile, withoutKeysOf(Files.readString(keyFile), first));
            cairn.start();
            assertRevealed(cairn, app, password);
        }
        try (CairnProcess restored = new CairnProcess(dir.resolve("restored"), "--restore-from", snap.toString(),
                     "--secrets-key-file", keyFile.toString()).start();
             CairnProcess wrongKey = new CairnProcess(dir.resolve("other"), "--restore-from", snap.toString(),
                     "--secrets-key-file", Files.writeString(dir.resolve("other.json"), MasterKey.generate()).toString()).start()) {
            assertRevealed(restored, app, password);
            ManagedChannel channel = wrongKey.channel();
            try {
                ConfigGrpc.ConfigBlockingStub config = ConfigGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                assertError(() -> get(config, app, true), "FAILED_PRECONDITION", "does not unwrap with this member's master key");
                assertThat(get(config, app, false)).isEqualTo("user=app\npassword=******\n");
            } finally {
                channel.shutdownNow();
            }
        }
        assertThat(ByteSearch.filesHolding(dir, password)).isEmpty();
    }

    private static void assertRevealed(CairnProcess member, ConfigKey key, String password) {
        ManagedChannel channel = member.channel();
        try {
            assertThat(get(ConfigGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS), key, true))
                    .isEqualTo("user=app\npassword=" + password + "\n");
        } finally {
            channel.shutdownNow();
        }
    }

    private static String get(ConfigGrpc.ConfigBlockingStub stub, ConfigKey key, boolean reveal) {
        return stub.get(GetRequest.newBuilder().setKey(key).setReveal(reveal).build()).getConfig().getContent();
    }

    /** The keyset {@code json} without the one key of {@code old}. */
    private static String withoutKeysOf(String json, String old) throws Exception {
        var access = com.google.crypto.tink.InsecureSecretKeyAccess.get();
        var keyset = com.google.crypto.tink.TinkJsonProtoKeysetFormat.parseKeyset(json, access);
        int dropped = com.google.crypto.tink.TinkJsonProtoKeysetFormat.parseKeyset(old, access).getPrimary().getId();
        var b = com.google.crypto.tink.KeysetHandle.newBuilder(keyset);
        for (int i = 0; i < keyset.size(); i++) {
            if (keyset.getAt(i).getId() == dropped) {
                b.deleteAt(i);
                return com.google.crypto.tink.TinkJsonProtoKeysetFormat.serializeKeyset(b.build(), access);
            }
        }
        throw new AssertionError("the rotated keyset lacks the old key");
    }
}
