package io.cairn.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Network partitions between the members of a test's cluster, all on 127.0.0.1: each member
 * runs in a cgroup of its own, and iptables drops what a member's sockets send to another
 * member's peer port ({@code -m cgroup --path}). Only packets between members this object
 * confined are touched: its rules live in a chain of its own, removed on close with its cgroups.
 * Needs root, iptables (the CI script installs it) and a cgroup v2 hierarchy.
 */
public final class PeerFirewall implements AutoCloseable {
    private final Path root;
    private final String rootName;
    private final String chain;
    private final List<Path> groups = new ArrayList<>();

    private PeerFirewall(Path cgroup2, String tag) throws IOException {
        this.rootName = "cairn-test-" + tag;
        this.root = Files.createDirectories(cgroup2.resolve(rootName));
        this.chain = "CAIRN-" + tag;
        try {
            if (!succeeds("iptables", "-w", "-N", chain)) {
                run("iptables", "-w", "-F", chain); // left by a test process that had this pid and died
            }
            if (!succeeds("iptables", "-w", "-C", "OUTPUT", "-j", chain)) {
                run("iptables", "-w", "-I", "OUTPUT", "-j", chain);
            }
            // the cgroup match must resolve this test's cgroups (a kernel or container may not)
            run("iptables", "-w", "-A", chain, "-m", "cgroup", "--path", rootName, "-j", "RETURN");
            heal();
        } catch (IOException e) {
            try {
                close();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** A firewall for this test process, or why there can be none here. */
    public static Optional<PeerFirewall> open() {
        try {
            return Optional.of(new PeerFirewall(cgroup2Root(), Long.toString(ProcessHandle.current().pid())));
        } catch (IOException | RuntimeException e) {
            System.out.println("no network partitions here: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Where the cgroup v2 hierarchy is mounted: {@code /sys/fs/cgroup}, or its "unified" part on a hybrid system. */
    private static Path cgroup2Root() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/mounts"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[2].equals("cgroup2")) {
                return Path.of(f[1]);
            }
        }
        throw new IOException("no cgroup2 hierarchy mounted");
    }

    /** The cgroup member {@code name} is to run in (see {@link CairnProcess#confinedTo}). */
    public Path groupOf(String name) throws IOException {
        Path group = Files.createDirectories(root.resolve(name));
        if (!groups.contains(group)) {
            groups.add(group);
        }
        return group;
    }

    /** Drops everything {@code a} and {@code b} send each other over their peer ports, in both directions. */
    public void cut(CairnProcess a, CairnProcess b) throws IOException {
        drop(a, b);
        drop(b, a);
    }

    private void drop(CairnProcess from, CairnProcess to) throws IOException {
        run("iptables", "-w", "-A", chain, "-m", "cgroup", "--path", rootName + "/" + from.name(),
                "-p", "tcp", "--dport", Integer.toString(to.peerPort()), "-j", "DROP");
    }

    /** Lifts every cut. */
    public void heal() throws IOException {
        run("iptables", "-w", "-F", chain);
    }

    /** Removes the rules, the chain and the cgroups, each step tried whatever happened to the others. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        List<IOStep> steps = new ArrayList<>(List.of(this::heal,
                () -> run("iptables", "-w", "-D", "OUTPUT", "-j", chain),
                () -> run("iptables", "-w", "-X", chain)));
        groups.forEach(g -> steps.add(() -> removeGroup(g)));
        steps.add(() -> removeGroup(root));
        for (IOStep step : steps) {
            try {
                step.run();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private interface IOStep {
        void run() throws IOException;
    }

    /** Removes an empty cgroup, giving a member that just exited a moment to leave it. */
    private static void removeGroup(Path group) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.deleteIfExists(group);
                return;
            } catch (IOException busy) {
                if (attempt == 20) {
                    throw busy;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }

    private static boolean succeeds(String... command) {
        try {
            run(command);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": " + new String(p.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).strip());
        }
    }
}
