package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The real etcdctl over TLS: server certificates, client certificates, their CN as the user, auto-tls. */
@ExtendWith(OwnedProcesses.class)
class TlsIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void etcdctl() {
        Etcdctl.requireInstalled();
    }

    @Test
    void clientCertificatesAreRequiredAndTheirCommonNameIsTheUser() throws Exception {
        TestCerts certs = new TestCerts(dir.resolve("pki"), "cairn-ca");
        certs.issue("server");
        certs.issue("root");
        certs.issue("alice");
        TestCerts stranger = new TestCerts(dir.resolve("other-pki"), "other-ca");
        stranger.issue("root");
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"),
                "--cert-file", certs.cert("server").toString(), "--key-file", certs.key("server").toString(),
                "--trusted-ca-file", certs.caFile().toString(), "--client-cert-auth").start()) {
            String endpoint = cairn.advertisedClientUrl();
            String ca = " --cacert " + certs.caFile();
            String asRoot = ca + " --cert " + certs.cert("root") + " --key " + certs.key("root");
            String asAlice = ca + " --cert " + certs.cert("alice") + " --key " + certs.key("alice");

            assertThat(run(endpoint, "etcdctl" + asRoot + " put /app/x 1")).isEqualTo("OK\n");
            assertThat(run(endpoint, "etcdctl" + asRoot + " get /app/x")).isEqualTo("/app/x\n1\n");
            // no certificate, or one from another CA, never gets past the handshake
            assertThat(Etcdctl.run(endpoint, "etcdctl" + ca + " --dial-timeout 2s get /app/x").exit()).isNotZero();
            assertThat(Etcdctl.run(endpoint, "etcdctl" + ca + " --dial-timeout 2s --cert " + stranger.cert("root")
                    + " --key " + stranger.key("root") + " get /app/x").exit()).isNotZero();
            // and plain text is not spoken at all
            assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl --dial-timeout 2s get /app/x").exit()).isNotZero();

            for (String step : new String[] {"user add root --new-user-password=rootpw", "user add alice --no-password",
                    "role add app", "role grant-permission app --prefix readwrite /app/", "user grant-role alice app",
                    "auth enable"}) {
                assertThat(Etcdctl.run(endpoint, "etcdctl" + asRoot + " " + step).exit()).as(step).isZero();
            }
            // with auth on, the certificate's CN is the user: no password needed
            assertThat(run(endpoint, "etcdctl" + asAlice + " put /app/y 2")).isEqualTo("OK\n");
            assertThat(run(endpoint, "etcdctl" + asAlice + " get /app/x")).isEqualTo("/app/x\n1\n");
            assertThat(run(endpoint, "etcdctl" + asAlice + " get /other")).contains("etcdserver: permission denied");
            assertThat(run(endpoint, "etcdctl" + asAlice + " user list")).contains("etcdserver: permission denied");
            assertThat(run(endpoint, "etcdctl" + asRoot + " user list")).isEqualTo("alice\nroot\n");
            // the HTTP gateway takes the same certificates, and the CN is the user there too
            String https = cairn.httpUrl() + "/v3/kv/range -X POST -d '{\"key\":\"L2FwcC94\"}'";
            String curlAlice = "curl -s --cacert " + certs.caFile() + " --cert " + certs.cert("alice")
                    + " --key " + certs.key("alice") + " ";
            assertThat(run(endpoint, curlAlice + https)).contains("\"count\":\"1\"");
            assertThat(run(endpoint, curlAlice + https.replace("L2FwcC94", "L290aGVy"))).contains("permission denied");
            assertThat(Etcdctl.run(endpoint, "curl -s --cacert " + certs.caFile() + " " + https).exit()).isNotZero();
            // a password login still works over TLS, and a wrong one still fails
            assertThat(run(endpoint, "etcdctl" + asAlice + " --user root:rootpw get /app/y")).isEqualTo("/app/y\n2\n");
            assertThat(run(endpoint, "etcdctl" + asAlice + " --user root:nope get /app/y"))
                    .contains("authentication failed, invalid user ID or password");
        }
    }

    @Test
    void autoTlsServesASelfSignedCertificateKeptInTheDataDir() throws Exception {
        Path data = dir.resolve("auto");
        try (CairnProcess cairn = new CairnProcess(data, "--auto-tls").start()) {
            String endpoint = cairn.advertisedClientUrl();
            assertThat(run(endpoint, "etcdctl --insecure-transport=false --insecure-skip-tls-verify put k v")).isEqualTo("OK\n");
            Path cert = data.resolve("fixtures/client/cert.pem");
            assertThat(cert).exists();
            assertThat(run(endpoint, "etcdctl --cacert " + cert + " get k")).isEqualTo("k\nv\n");
            assertThat(Etcdctl.run(endpoint, "etcdctl --dial-timeout 2s get k").exit()).isNotZero();
            assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        }
    }

    private static String run(String endpoint, String command) throws Exception {
        return Etcdctl.run(endpoint, command).output().replaceAll("\\{\"level\":\"warn\"[^\n]*\n", "");
    }
}
