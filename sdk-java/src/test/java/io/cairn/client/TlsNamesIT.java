package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.TestCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each endpoint's certificate is checked for that endpoint's own name, as etcd's clients check it. */
@ExtendWith(OwnedProcesses.class)
class TlsNamesIT {
    @TempDir
    Path dir;

    @Test
    void eachEndpointIsCheckedForItsOwnName() throws Exception {
        TestCerts certs = new TestCerts(dir.resolve("pki"), "ca");
        certs.issue("named", "localhost");
        certs.issue("numbered", "127.0.0.1");
        try (CairnProcess named = tlsMember("named"); CairnProcess numbered = tlsMember("numbered")) {
            String byName = "https://localhost:" + port(named);
            String byAddress = "https://127.0.0.1:" + port(numbered);
            try (Client both = Client.builder().endpoints(byName, byAddress).trustedCa(certs.caFile()).build()) {
                Set<Long> answered = new HashSet<>();
                for (int i = 0; i < 20 && answered.size() < 2; i++) {
                    answered.add(both.kv().sync().get("k").header().memberId());
                }
                assertThat(answered).as("members that answered over TLS").hasSize(2);
            }
            // the same certificate reached by a name it does not carry is refused
            try (Client wrong = Client.builder().endpoints("https://127.0.0.1:" + port(named)).trustedCa(certs.caFile())
                    .timeout(Duration.ofSeconds(3)).build()) {
                CairnException refused = catchThrowableOfType(CairnException.class, () -> wrong.kv().sync().get("k"));
                assertThat(refused).as("a refusal").isNotNull();
                assertThat(refused.code()).isEqualTo(CairnException.Code.UNAVAILABLE);
                assertThat(causes(refused)).as("why, down the causes").containsIgnoringCase("subject alternative name");
            }
        }
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    /** A member serving the certificate {@code name} (issued above) to its clients. */
    private CairnProcess tlsMember(String name) throws Exception {
        return new CairnProcess(dir.resolve(name), "--cert-file", dir.resolve("pki/" + name + ".pem").toString(),
                "--key-file", dir.resolve("pki/" + name + ".key").toString()).start();
    }

    private static String port(CairnProcess member) {
        return member.endpoint().substring(member.endpoint().lastIndexOf(':') + 1);
    }
}
