package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.Golden;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's tours through cairnctl: every command of etcdctl's recordings (made against the
 * real etcd 3.4) is run with cairnctl standing in for etcdctl, against Cairn, and must print
 * what etcd's etcdctl printed, exit codes included. etcdctl's client-library retry warnings are
 * not part of what a user reads, and are left out of the comparison. The recordings are timed
 * for a Go binary that starts in milliseconds; {@link JvmPacing} gives each step the time a JVM
 * client needs, and ends background watchers by the step's order rather than the clock. Two
 * steps of the lease tour race a 2 s lease whose grant is printed (so it cannot be lengthened)
 * against a JVM client's start, and are not compared: the put on such a lease one step after
 * its grant, which a client slowed past 2 s by a busy machine finds expired (the steps after it
 * print the same either way), and the last {@code lease list}, which etcdctl ran within another
 * such lease's life and two client starts later. etcdctl's own replay (EtcdctlSeedIT) holds
 * Cairn to both.
 */
@ExtendWith(OwnedProcesses.class)
class CairnctlSeedIT {
    @TempDir
    Path dir;

    @Test
    void theKvTour() throws Exception {
        assertThat(replay("/etcdctl/seed-kv.golden")).isEmpty();
    }

    @Test
    void theLeaseTour() throws Exception {
        assertThat(replay("/etcdctl/seed-lease.golden")).isEmpty();
    }

    @Test
    void theWatchTour() throws Exception {
        assertThat(replay("/etcdctl/seed-watch.golden")).isEmpty();
    }

    @Test
    void theAuthTour() throws Exception {
        assertThat(replay("/etcdctl/seed-auth.golden")).isEmpty();
    }

    /** Steps whose outcome depends on the client starting in milliseconds: recording, command. */
    private static final java.util.Set<String> CLIENT_TIMED = java.util.Set.of(
            "/etcdctl/seed-lease.golden etcdctl put k v --lease=1234 ; etcdctl lease list",
            // a put on a 2 s lease whose grant is printed (so it cannot be lengthened), by a client started after it
            "/etcdctl/seed-lease.golden etcdctl lease grant 2 > out; cat out; awk '{print $2}' out > id"
                    + " ; etcdctl put --lease=$(cat id) ephemeral v");

    private List<String> replay(String recording) throws Exception {
        UnaryOperator<String> etcdMask = Golden.mask();
        UnaryOperator<String> cairnMask = Golden.mask();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path etcdctl = bin.resolve("etcdctl");
        Files.writeString(etcdctl, "#!/usr/bin/env bash\nexec " + CairnProcess.repoRoot().resolve("bin/cairnctl") + " \"$@\"\n");
        etcdctl.toFile().setExecutable(true);
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> mismatches = new ArrayList<>();
        // the cheapest bcrypt cost: a tour logs in some fifty times, and no output shows a hash
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "4").start()) {
            String previous = "";
            for (Golden.Step step : Golden.read(recording)) {
                boolean compared = !CLIENT_TIMED.contains(recording + " " + previous + " ; " + step.command());
                previous = step.command();
                Etcdctl.Result r = Etcdctl.run(cairn.endpoint(), JvmPacing.pace(step.command()), work, bin);
                String actual = r.output() + (r.exit() == 0 ? "" : "[exit " + r.exit() + "]\n");
                String expected = step.expected().replaceAll("(?m)^\\{\"level\":\"warn\".*\\n", "");
                if (compared && !cairnMask.apply(actual).equals(etcdMask.apply(expected))) {
                    mismatches.add("$ " + step.command() + "\n--- etcdctl against etcd 3.4 printed:\n" + expected
                            + "--- cairnctl printed:\n" + actual);
                }
            }
        }
        return mismatches;
    }
}
