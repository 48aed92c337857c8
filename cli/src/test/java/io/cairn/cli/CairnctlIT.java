package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** cairnctl's commands beyond the seed's tours, beside the real etcdctl where both apply. */
@ExtendWith(OwnedProcesses.class)
class CairnctlIT {
    @TempDir
    Path dir;

    private static String cairnctl() {
        return CairnProcess.repoRoot().resolve("bin/cairnctl").toString();
    }

    @Test
    void clusterLockElectionAndSnapshotCommands() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            String ep = cairn.endpoint();
            String c = cairnctl();
            assertThat(Etcdctl.run(ep, c + " version").output()).isEqualTo("cairnctl version: 0.1.0-SNAPSHOT\nAPI version: 3.4\n");
            assertThat(Etcdctl.run(ep, c + " --version").output()).isEqualTo("cairnctl version: 0.1.0-SNAPSHOT\nAPI version: 3.4\n");
            // the same commands, the same answers as etcdctl's (ids and sizes as Cairn has them)
            for (String cmd : new String[] {"member list", "member list -w json", "endpoint hashkv", "alarm list",
                    "endpoint status --cluster", "lease list"}) {
                assertThat(Etcdctl.run(ep, c + " " + cmd).output()).as(cmd).isEqualTo(Etcdctl.run(ep, "etcdctl " + cmd).output());
            }
            assertThat(Etcdctl.run(ep, c + " endpoint health").output())
                    .matches(ep + " is healthy: successfully committed proposal: took = [0-9.]+(ms|µs|s)\n");
            assertThat(Etcdctl.run(ep, c + " lock job echo held").output()).isEqualTo("held\n");
            // steps wait for what a client printed, not for a clock: a JVM client's start varies with load
            Etcdctl.Result contended = Etcdctl.run(ep, c + " lock shared > first.out 2>&1 & first=$!; " + awaitLines("first.out", 1)
                    + c + " lock shared echo second > second.out 2>&1 & second=$!; sleep 1; cat second.out; "
                    + "kill $first; wait $first; " + awaitLines("second.out", 1) + "wait $second; cat second.out first.out", dir);
            assertThat(contended.output()).as("the second waits for the first, then runs").matches("second\nshared/[0-9a-f]+\n\n");
            Etcdctl.Result elect = Etcdctl.run(ep, c + " elect svc alice > leader.out 2>&1 & leader=$!; " + awaitLines("leader.out", 2)
                    + c + " elect -l svc > observer.out 2>&1 & observer=$!; " + awaitLines("observer.out", 2)
                    + "kill $observer $leader; wait; cat observer.out leader.out", dir);
            assertThat(elect.output()).matches("svc/[0-9a-f]+\nalice\nsvc/[0-9a-f]+\nalice\n");
            Etcdctl.Result saved = Etcdctl.run(ep, c + " snapshot save " + dir.resolve("snap.db"));
            assertThat(saved.output()).contains("Snapshot saved at " + dir.resolve("snap.db"));
            assertThat(Files.size(dir.resolve("snap.db"))).isPositive();
            assertThat(Etcdctl.run(ep, c + " defrag").output()).isEqualTo("Finished defragmenting etcd member[" + ep + "]\n");

            // a learner added and removed, printed as etcdctl prints it
            String added = Etcdctl.run(ep, c + " member add extra --peer-urls=http://127.0.0.1:9 --learner").output();
            String byEtcdctl = Etcdctl.run(ep, "etcdctl member add other --peer-urls=http://127.0.0.1:8 --learner").output();
            // etcdctl pads ids to 16 characters with spaces (%16x)
            String shape = "Member [ 0-9a-f]{16} added to cluster [ 0-9a-f]{16}\n\nETCD_NAME=\"%s\"\n"
                    + "ETCD_INITIAL_CLUSTER=\"[^\"]*%s=http://127.0.0.1:%d[^\"]*\"\n"
                    + "ETCD_INITIAL_ADVERTISE_PEER_URLS=\"http://127.0.0.1:%d\"\nETCD_INITIAL_CLUSTER_STATE=\"existing\"\n";
            assertThat(added).matches(String.format(shape, "extra", "extra", 9, 9));
            assertThat(byEtcdctl).matches(String.format(shape, "other", "other", 8, 8));
            String id = added.substring("Member ".length(), "Member ".length() + 16).trim();
            assertThat(Etcdctl.run(ep, c + " member remove " + id).output())
                    .matches("Member +" + id + " removed from cluster [ 0-9a-f]{16}\n");
        }
    }

    @Test
    void tlsFlagsAndClientCertificateUsers() throws Exception {
        TestCerts certs = new TestCerts(dir.resolve("pki"), "ca");
        certs.issue("server");
        certs.issue("root");
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--cert-file", certs.cert("server").toString(),
                "--key-file", certs.key("server").toString(), "--trusted-ca-file", certs.caFile().toString(),
                "--client-cert-auth").start()) {
            String ep = cairn.advertisedClientUrl();
            String tls = " --cacert " + certs.caFile() + " --cert " + certs.cert("root") + " --key " + certs.key("root");
            assertThat(Etcdctl.run(ep, cairnctl() + tls + " put k v").output()).isEqualTo("OK\n");
            assertThat(Etcdctl.run(ep, cairnctl() + tls + " get k --print-value-only").output()).isEqualTo("v\n");
            Etcdctl.Result noCert = Etcdctl.run(ep, "CAIRNCTL_CACERT=" + certs.caFile() + " " + cairnctl() + " --command-timeout 3s get k");
            assertThat(noCert.exit()).isNotZero();
            // the member's TLS alert surfaces as grpc-java's "ssl exception": refused, not unreachable
            assertThat(noCert.output()).as("why a client without a certificate failed")
                    .containsPattern("(?i)ssl|certificate").doesNotContainIgnoringCase("deadline");
        }
    }

    /** A shell step that waits (up to 30 s) until {@code file} has {@code lines} lines. */
    private static String awaitLines(String file, int lines) {
        return "for i in $(seq 300); do [ \"$(wc -l < " + file + ")\" -ge " + lines + " ] && break; sleep 0.1; done; ";
    }
}
