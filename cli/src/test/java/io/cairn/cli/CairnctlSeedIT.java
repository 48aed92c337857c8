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
 * not part of what a user reads, and are left out of the comparison. The recordings time their
 * background watches for a Go binary that starts in milliseconds; a JVM client takes most of a
 * second, so each "timeout" and the last "sleep" of a line (the wait before reading what a
 * watcher printed) get 2 s more, and a short lease whose grant is not printed lives 3 s more, so
 * that the client starts after it do not outlast it. The commands are otherwise unchanged. One
 * step is not compared: the lease tour's last {@code lease list}, which etcdctl ran within a
 * 2 s lease's life and two client starts later; etcdctl's own replay (EtcdctlSeedIT) holds Cairn
 * to it.
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
            "/etcdctl/seed-lease.golden etcdctl put k v --lease=1234 ; etcdctl lease list");

    static String slower(String command) {
        java.util.regex.Matcher grant = java.util.regex.Pattern.compile("lease grant (\\d) > out").matcher(command);
        if (grant.find() && Integer.parseInt(grant.group(1)) < 5 && !command.contains("cat out")) {
            command = grant.replaceFirst("lease grant " + (Integer.parseInt(grant.group(1)) + 3) + " > out");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\btimeout (\\d+(?:\\.\\d+)?)").matcher(command);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, "timeout " + (Double.parseDouble(m.group(1)) + 2));
        }
        String timed = m.appendTail(out).toString();
        int last = timed.lastIndexOf("sleep ");
        if (last < 0) {
            return timed;
        }
        java.util.regex.Matcher sleep = java.util.regex.Pattern.compile("sleep (\\d+(?:\\.\\d+)?)").matcher(timed);
        sleep.find(last);
        return timed.substring(0, last) + "sleep " + (Double.parseDouble(sleep.group(1)) + 2) + timed.substring(sleep.end());
    }

    private List<String> replay(String recording) throws Exception {
        UnaryOperator<String> etcdMask = Golden.mask();
        UnaryOperator<String> cairnMask = Golden.mask();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path etcdctl = bin.resolve("etcdctl");
        Files.writeString(etcdctl, "#!/usr/bin/env bash\nexec " + CairnProcess.repoRoot().resolve("bin/cairnctl") + " \"$@\"\n");
        etcdctl.toFile().setExecutable(true);
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> mismatches = new ArrayList<>();
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            String previous = "";
            for (Golden.Step step : Golden.read(recording)) {
                boolean compared = !CLIENT_TIMED.contains(recording + " " + previous + " ; " + step.command());
                previous = step.command();
                Etcdctl.Result r = Etcdctl.run(cairn.endpoint(), slower(step.command()), work, bin);
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
