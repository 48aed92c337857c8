package io.cairn.console.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.console.ConsoleApplication;
import io.cairn.console.cluster.ClusterAccess;
import io.cairn.console.metrics.MetricsSampler;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.TestCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The console against a member that requires client certificates: its gRPC calls and its own
 * reads of /metrics present the certificate it was given.
 */
@ExtendWith(OwnedProcesses.class)
class ConsoleTlsIT {
    @TempDir
    Path dir;

    @Test
    void callsAndSamplesAMemberThatRequiresClientCertificates() throws Exception {
        TestCerts certs = new TestCerts(dir.resolve("pki"), "cairn-ca");
        certs.issue("server");
        certs.issue("console");
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"),
                "--cert-file", certs.cert("server").toString(), "--key-file", certs.key("server").toString(),
                "--trusted-ca-file", certs.caFile().toString(), "--client-cert-auth").start();
             ConfigurableApplicationContext console = new SpringApplicationBuilder(ConsoleApplication.class).run(
                     "--server.port=0", "--server.address=127.0.0.1", "--cairn.console.endpoints=" + cairn.advertisedClientUrl(),
                     "--cairn.console.trusted-ca=" + certs.caFile(), "--cairn.console.cert=" + certs.cert("console"),
                     "--cairn.console.key=" + certs.key("console"), "--cairn.console.sample-interval=500ms")) {
            assertThat(cairn.advertisedClientUrl()).startsWith("https://");
            assertThat(console.getBean(ClusterAccess.class).authEnabled()).isFalse();
            MetricsSampler sampler = console.getBean(MetricsSampler.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sampler.series().values().stream().allMatch(List::isEmpty)) {
                assertThat(System.nanoTime()).as("a chart point from /metrics over TLS; unreadable: %s", sampler.unreachable())
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(sampler.unreachable()).isEmpty();
        }
    }
}
