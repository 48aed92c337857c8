package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real etcdctl 3.4 against a Cairn process on an empty data dir must print exactly what it
 * prints against the real etcd 3.4 (recorded in etcdctl/seed-kv.golden by record-golden.sh),
 * revisions and error texts included; only random ids, the raft term, timestamps and a lease's
 * seconds left (when within its TTL) are masked, as {@link io.cairn.server.testing.Golden#mask()} says.
 */
@ExtendWith(OwnedProcesses.class)
class EtcdctlSeedIT {
    @TempDir
    Path dir;

    record Step(String command, String expected) {
    }

    @BeforeAll
    static void etcdctl() {
        Etcdctl.requireInstalled();
    }

    @Test
    void theSeedsKvTourPrintsWhatEtcdPrints() throws Exception {
        List<Step> steps = golden("/etcdctl/seed-kv.golden");
        assertThat(steps).hasSizeGreaterThan(40);
        assertThat(replay(steps)).isEmpty();
    }

    /** Lease ids are chosen by the server and the seconds left depend on timing: both masked, see Golden.mask. */
    @Test
    void theSeedsLeaseTourPrintsWhatEtcdPrints() throws Exception {
        List<Step> steps = golden("/etcdctl/seed-lease.golden");
        assertThat(steps).hasSizeGreaterThan(25);
        assertThat(replay(steps)).isEmpty();
    }

    /** Watches run in the background beside the writes; what they printed is compared. */
    @Test
    void theSeedsWatchTourPrintsWhatEtcdPrints() throws Exception {
        List<Step> steps = golden("/etcdctl/seed-watch.golden");
        assertThat(steps).hasSizeGreaterThan(10);
        assertThat(replay(steps)).isEmpty();
    }

    /**
     * Users, roles, key-range permissions (in txns, watches and lease revokes too), auth enable
     * and disable, and etcd's error texts. Lease ids are masked.
     */
    @Test
    void theAuthTourPrintsWhatEtcdPrints() throws Exception {
        List<Step> steps = golden("/etcdctl/seed-auth.golden");
        assertThat(steps).hasSizeGreaterThan(80);
        assertThat(replay(steps)).isEmpty();
    }

    /** Runs every step on a fresh member; returns the mismatches, each with both outputs. */
    private List<String> replay(List<Step> steps) throws Exception {
        java.util.function.UnaryOperator<String> etcdMask = io.cairn.server.testing.Golden.mask();
        java.util.function.UnaryOperator<String> cairnMask = io.cairn.server.testing.Golden.mask();
        List<String> mismatches = new ArrayList<>();
        Path work = java.nio.file.Files.createDirectories(dir.resolve("work"));
        // the cheapest bcrypt cost: the auth tour logs in some fifty times, and no output shows a hash
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4").start()) {
            for (Step step : steps) {
                Etcdctl.Result r = Etcdctl.run(cairn.endpoint(), step.command(), work);
                String actual = r.output() + (r.exit() == 0 ? "" : "[exit " + r.exit() + "]\n");
                if (!cairnMask.apply(actual).equals(etcdMask.apply(step.expected()))) {
                    mismatches.add("$ " + step.command() + "\n--- etcd 3.4 printed:\n" + step.expected()
                            + "--- cairn printed:\n" + actual);
                }
            }
        }
        return mismatches;
    }

    static List<Step> golden(String resource) throws IOException {
        return io.cairn.server.testing.Golden.read(resource).stream().map(g -> new Step(g.command(), g.expected())).toList();
    }
}
