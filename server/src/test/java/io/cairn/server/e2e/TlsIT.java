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
            // etcdctl only sees the connection close (TLS 1.3 checks the client's certificate after
            // the client's side of the handshake), so the reason is read with openssl: the alert
            String strangerCert = " -cert " + stranger.cert("root") + " -key " + stranger.key("root");
            assertThat(refusal(endpoint, "etcdctl --debug" + ca + " --dial-timeout 2s get /app/x")).contains("transport is closing");
            assertThat(tlsAlert(cairn.endpoint(), certs.caFile(), "")).isEqualTo("alert certificate required");
            assertThat(refusal(endpoint, "etcdctl --debug" + ca + " --dial-timeout 2s --cert " + stranger.cert("root")
                    + " --key " + stranger.key("root") + " get /app/x")).contains("transport is closing");
            assertThat(tlsAlert(cairn.endpoint(), certs.caFile(), strangerCert)).startsWith("alert ");
            // and plain text is not spoken at all
            assertThat(refusal(cairn.endpoint(), "etcdctl --debug --dial-timeout 2s get /app/x")).contains("transport is closing");

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
            assertThat(refusal(endpoint, "curl -sS --cacert " + certs.caFile() + " " + https)).startsWith("curl: (")
                    .doesNotContain("{");
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
            assertThat(refusal(endpoint, "etcdctl --debug --dial-timeout 2s get k"))
                    .contains("authentication handshake failed: x509: certificate signed by unknown authority");
            assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        }
    }

    /**
     * What a command that must be refused printed; it must also exit non-zero. The callers check
     * the text, so a refusal for an unrelated reason (a wrong port, a server that is down) fails.
     */
    private static String refusal(String endpoint, String command) throws Exception {
        Etcdctl.Result r = Etcdctl.run(endpoint, command);
        assertThat(r.exit()).as("exit of " + command + "\n" + r.output()).isNotZero();
        assertThat(r.output()).as("refused by a listening server").doesNotContain("connection refused")
                .doesNotContain("Failed to connect");
        return r.output();
    }

    /** The TLS alert the server sends openssl's client (with {@code certArgs}), or "no alert". */
    private static String tlsAlert(String hostPort, Path ca, String certArgs) throws Exception {
        // the sleep keeps the connection open long enough to read an alert sent after the handshake
        String out = Etcdctl.run(hostPort, "(sleep 1) | openssl s_client -connect " + hostPort + " -CAfile " + ca
                + certArgs + " 2>&1").output();
        java.util.regex.Matcher alert = java.util.regex.Pattern.compile("alert [a-z ]*[a-z]").matcher(out);
        String found = alert.find() ? alert.group() : "no alert";
        System.out.println("TLS: openssl with" + (certArgs.isEmpty() ? " no certificate" : certArgs) + " got " + found);
        return found;
    }

    private static String run(String endpoint, String command) throws Exception {
        return Etcdctl.run(endpoint, command).output().replaceAll("\\{\"level\":\"warn\"[^\n]*\n", "");
    }
}
