package io.cairn.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.Client;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Format;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** {@code spring.config.import=cairn:} in applications started against a real member, and without one. */
@ExtendWith(OwnedProcesses.class)
class ConfigImportIT {
    @TempDir
    Path dir;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    private ConfigurableApplicationContext start(String endpoint, String... args) {
        List<String> all = new ArrayList<>(List.of("--spring.cloud.cairn.endpoints=" + endpoint,
                "--spring.cloud.cairn.timeout=3s", "--spring.cloud.cairn.config.snapshot-dir=" + dir.resolve("snapshots")));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(all.toArray(String[]::new));
    }

    @Test
    void importsByNameProfileAndLocationInEachFormatAndFromTheSnapshotWhenTheClusterIsDown() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        String endpoint = cairn.advertisedClientUrl();
        try (Client admin = Client.builder().endpoints(endpoint).build()) {
            admin.config().sync().publish(ConfigKey.of("shop"), "shop:\n  name: corner\n  items: [tea, milk]\n  open: true\n", Format.YAML);
            admin.config().sync().publish(ConfigKey.of("shop-dev"), "shop.name=corner (dev)\n", Format.PROPERTIES);
            admin.config().sync().publish(new ConfigKey("default", "payments", "limits.json"), "{\"limits\": {\"daily\": 500}}", Format.JSON);

            try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=shop", "--spring.profiles.active=dev",
                    "--spring.config.import=cairn:,cairn:payments/limits.json")) {
                Environment env = app.getEnvironment();
                assertThat(env.getProperty("shop.name")).as("the profile's config over the application's").isEqualTo("corner (dev)");
                assertThat(env.getProperty("shop.items[1]")).isEqualTo("milk");
                assertThat(env.getProperty("shop.open", Boolean.class)).isTrue();
                assertThat(env.getProperty("limits.daily", Integer.class)).isEqualTo(500);
                assertThat(app.getBeansOfType(Client.class)).as("the client the import made is the only one").hasSize(1);
            }
            // a profile without a config of its own is no error, as application-<profile>.yml is none
            try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=shop",
                    "--spring.profiles.active=prod", "--spring.config.import=cairn:")) {
                assertThat(app.getEnvironment().getProperty("shop.name")).isEqualTo("corner");
            }

            // the format property names the data ids with its extension
            admin.config().sync().publish(ConfigKey.of("till.yaml"), "till: {drawers: 2}\n", Format.YAML);
            try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=till",
                    "--spring.cloud.cairn.config.format=yaml", "--spring.config.import=cairn:")) {
                assertThat(app.getEnvironment().getProperty("till.drawers")).isEqualTo("2");
            }
        }
        cairn.kill();
        // the cluster is gone: an optional import falls back on the snapshot the last start kept
        try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=shop",
                "--spring.config.import=optional:cairn:")) {
            assertThat(app.getEnvironment().getProperty("shop.items[0]")).isEqualTo("tea");
        }
        // not an optional one: its snapshot is there, but the start fails, saying why
        assertThatThrownBy(() -> start(endpoint, "--spring.application.name=shop", "--spring.config.import=cairn:"))
                .hasStackTraceContaining("only an optional import uses it");
        // and one never loaded before starts without its values
        try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=stranger",
                "--spring.config.import=optional:cairn:")) {
            assertThat(app.getEnvironment().getProperty("shop.name")).isNull();
        }
        // without optional: the start fails, saying why
        assertThatThrownBy(() -> start(endpoint, "--spring.application.name=stranger", "--spring.config.import=cairn:"))
                .hasStackTraceContaining("could not be loaded from Cairn").hasStackTraceContaining("cairn:default/DEFAULT_GROUP/stranger");
    }

    @Test
    void secretValuesBindInClearForAUserWhoMayRevealThemAndFailTheStartForOneWhoMayNot() throws Exception {
        Path key = dir.resolve("master.json");
        assertThat(io.cairn.server.testing.Etcdctl.run("", CairnProcess.repoRoot().resolve("bin/cairn") + " --secrets-keygen > " + key,
                dir).exit()).isZero();
        CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4", "--secrets-key-file", key.toString()).start();
        String endpoint = cairn.advertisedClientUrl();
        try (Client admin = Client.builder().endpoints(endpoint).build()) {
            var auth = admin.auth().sync();
            for (String user : List.of("root", "app", "other")) {
                auth.userAdd(user, user + "pw");
            }
            auth.roleAdd("root");
            auth.userGrantRole("root", "root");
            auth.roleAdd("app");
            auth.roleAdd("other");
            io.cairn.client.config.ConfigAccess.grant(admin, "app", "default", io.cairn.client.config.ConfigAccess.Level.REVEAL).join();
            io.cairn.client.config.ConfigAccess.grant(admin, "other", "default", io.cairn.client.config.ConfigAccess.Level.READ).join();
            auth.userGrantRole("app", "app");
            auth.userGrantRole("other", "other");
            admin.config().sync().publish(io.cairn.client.config.Publish.builder(ConfigKey.of("vault"),
                    "vault.user=svc\nvault.password=pa55-word\n").format(Format.PROPERTIES).secretKeys("vault.password").build());
            auth.enable();
        }
        try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=vault", "--spring.config.import=cairn:",
                "--spring.cloud.cairn.username=app", "--spring.cloud.cairn.password=apppw")) {
            assertThat(app.getEnvironment().getProperty("vault.password")).isEqualTo("pa55-word");
            assertThat(app.getEnvironment().getProperty("vault.user")).isEqualTo("svc");
        }
        assertThatThrownBy(() -> start(endpoint, "--spring.application.name=vault", "--spring.config.import=cairn:",
                "--spring.cloud.cairn.username=other", "--spring.cloud.cairn.password=otherpw"))
                .hasStackTraceContaining("holds secret values this application's user may not reveal")
                .hasStackTraceContaining("cairnctl config grant ROLE default reveal");
        // the application's snapshot files never hold a secret in clear
        assertThat(io.cairn.server.testing.ByteSearch.filesHolding(dir, "pa55-word")).isEmpty();
        cairn.close();
    }

    @Test
    void aMissingConfigFailsTheStartUnlessOptionalAndAnAppWithoutImportsStarts() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        String endpoint = cairn.advertisedClientUrl();
        assertThatThrownBy(() -> start(endpoint, "--spring.application.name=absent", "--spring.config.import=cairn:"))
                .hasStackTraceContaining("cairn:default/DEFAULT_GROUP/absent").hasStackTraceContaining("cannot be found").hasStackTraceContaining("config: not found");
        try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=absent",
                "--spring.config.import=optional:cairn:")) {
            assertThat(app.getEnvironment().getProperty("anything")).isNull();
        }
        try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=plain")) {
            assertThat(app.getBeansOfType(Client.class)).hasSize(1);
        }
        // switched off, an import loads nothing and fails nothing
        for (String off : List.of("--spring.cloud.cairn.enabled=false", "--spring.cloud.cairn.config.enabled=false")) {
            try (ConfigurableApplicationContext app = start(endpoint, "--spring.application.name=absent", off,
                    "--spring.config.import=cairn:")) {
                assertThat(app.getEnvironment().getPropertySources().stream().map(ps -> ps.getName()))
                        .noneMatch(name -> name.startsWith("cairn:"));
            }
        }
        assertThatThrownBy(() -> start(endpoint, "--spring.config.import=cairn:"))
                .hasStackTraceContaining("spring.application.name is not set");
        assertThatThrownBy(() -> start(endpoint, "--spring.config.import=cairn:a/b/c/d"))
                .hasStackTraceContaining("cairn:<namespace>/<group>/<dataId>");
        cairn.close();
    }
}
