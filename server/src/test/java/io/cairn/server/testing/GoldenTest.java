package io.cairn.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The replay's mask hides only what is random, and every recording still matches its command file. */
class GoldenTest {
    @Test
    void everyRecordingMatchesItsCommandFile() throws Exception {
        for (String tour : List.of("kv", "lease", "watch", "auth")) {
            assertThat(Golden.read("/etcdctl/seed-" + tour + ".golden")).as(tour).isNotEmpty();
        }
    }

    @Test
    void aCommandMissingFromTheRecordingIsNoticed() {
        String recording = "$ etcdctl put a 1\nOK\n";
        assertThat(Golden.parse(recording).stream().map(Golden.Step::command).toList())
                .isNotEqualTo(Golden.commands("# tour\netcdctl put a 1\n\netcdctl put a 2\n"))
                .isEqualTo(Golden.commands("# tour\netcdctl put a 1\n\n"));
    }

    @Test
    void grantedLeaseIdsAreNumberedInOrderAndEchoedIdsAreCompared() {
        UnaryOperator<String> etcd = Golden.mask();
        UnaryOperator<String> cairn = Golden.mask();
        assertThat(cairn.apply("lease 0000000000000abc granted with TTL(60s)\n"))
                .isEqualTo(etcd.apply("lease 167ca21b3235c706 granted with TTL(60s)\n"));
        assertThat(cairn.apply("lease 0000000000000abc revoked\n"))
                .isEqualTo(etcd.apply("lease 167ca21b3235c706 revoked\n"));
        // an id the command named is not random: a server that echoes another one differs
        assertThat(cairn.apply("lease 0000000000004321 already expired\n"))
                .isNotEqualTo(etcd.apply("lease 0000000000001234 already expired\n"));
        // a second grant is another lease; naming the first one instead differs
        cairn.apply("lease 0000000000000abd granted with TTL(5s)\n");
        etcd.apply("lease 167ca21b3235c70c granted with TTL(5s)\n");
        assertThat(cairn.apply("lease 0000000000000abc revoked\n"))
                .isNotEqualTo(etcd.apply("lease 167ca21b3235c70c revoked\n"));
    }

    @Test
    void secondsLeftAreMaskedOnlyWithinTheTtl() {
        UnaryOperator<String> etcd = Golden.mask();
        UnaryOperator<String> cairn = Golden.mask();
        String expected = etcd.apply("lease 0000000000001234 granted with TTL(60s), remaining(59s), attached keys([foo])\n");
        assertThat(cairn.apply("lease 0000000000001234 granted with TTL(60s), remaining(60s), attached keys([foo])\n"))
                .isEqualTo(expected);
        assertThat(cairn.apply("lease 0000000000001234 granted with TTL(60s), remaining(0s), attached keys([foo])\n"))
                .isEqualTo(expected);
        assertThat(cairn.apply("lease 0000000000001234 granted with TTL(60s), remaining(61s), attached keys([foo])\n"))
                .isNotEqualTo(expected);
        assertThat(cairn.apply("lease 0000000000001234 granted with TTL(60s), remaining(-1s), attached keys([foo])\n"))
                .isNotEqualTo(expected);
    }
}
