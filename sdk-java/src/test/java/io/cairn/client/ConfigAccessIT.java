package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.config.AuditQuery;
import io.cairn.client.config.ConfigAccess;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigSelection;
import io.cairn.client.config.Publish;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ConfigAccess's grants on a member with auth on: a role with READ on one namespace reads it
 * (get, listen, history, audit) and nothing else, and cannot publish; READ_WRITE can; revoking
 * takes it all away.
 */
@ExtendWith(OwnedProcesses.class)
class ConfigAccessIT {
    @TempDir
    Path dir;

    private static void denied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CairnException.class,
                e -> assertThat(e.code()).isEqualTo(CairnException.Code.PERMISSION_DENIED));
    }

    @Test
    void aRoleReadsOrWritesExactlyTheNamespacesItIsGranted() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "6").start()) {
            ConfigKey prod = new ConfigKey("prod", "g", "app.yaml");
            ConfigKey other = new ConfigKey("other", "g", "app.yaml");
            try (Client setup = Client.builder().endpoints(cairn.advertisedClientUrl()).build()) {
                Auth.Sync auth = setup.auth().sync();
                auth.userAdd("root", "rootpw");
                auth.roleAdd("root");
                auth.userGrantRole("root", "root");
                auth.roleAdd("reader");
                ConfigAccess.grant(setup, "reader", "prod", ConfigAccess.Level.READ).join();
                auth.userAdd("app", "apppw");
                auth.userGrantRole("app", "reader");
                auth.enable();
            }
            try (Client root = Client.builder().endpoints(cairn.advertisedClientUrl()).user("root", "rootpw").build();
                 Client app = Client.builder().endpoints(cairn.advertisedClientUrl()).user("app", "apppw").build()) {
                root.config().sync().createNamespace("prod", "");
                root.config().sync().createNamespace("other", "");
                root.config().sync().publish(Publish.builder(prod, "a: 1\n").build());
                root.config().sync().publish(Publish.builder(other, "a: 2\n").build());

                assertThat(app.config().sync().get(prod).content()).isEqualTo("a: 1\n");
                assertThat(app.config().sync().history(prod, 0, "").configs()).hasSize(1);
                assertThat(app.config().sync().audit(AuditQuery.builder("prod").build()).records()).isNotEmpty();
                ConfigRecorder r = new ConfigRecorder();
                app.config().sync().listen(ConfigSelection.namespace("prod"), r).close();
                assertThat(r.versions()).containsExactly("app.yaml:v1");

                denied(() -> app.config().sync().get(other));
                denied(() -> app.config().sync().history(other, 0, ""));
                denied(() -> app.config().sync().audit(AuditQuery.builder("other").build()));
                denied(() -> app.config().sync().listen(ConfigSelection.namespace("other"), new ConfigRecorder()));
                denied(() -> app.config().sync().publish(Publish.builder(prod, "a: 3\n").build()));
                denied(() -> app.kv().sync().put("/cairn/config/prod/g/app.yaml", "behind its back"));

                ConfigAccess.grant(root, "reader", "prod", ConfigAccess.Level.READ_WRITE).join();
                assertThat(app.config().sync().publish(Publish.builder(prod, "a: 3\n").build()).version()).isEqualTo(2);
                assertThat(root.config().sync().audit(AuditQuery.builder("prod").user("app").build()).records())
                        .extracting(a -> a.action()).containsExactly("publish");
                denied(() -> app.kv().sync().put("/cairn/config/prod/g/app.yaml", "still not behind its back"));

                ConfigAccess.revoke(root.auth(), "reader", "prod").join();
                ConfigAccess.revoke(root.auth(), "reader", "prod").join(); // nothing left to revoke: no failure
                denied(() -> app.config().sync().get(prod));
            }
        }
    }
}
