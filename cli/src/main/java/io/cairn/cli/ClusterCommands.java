package io.cairn.cli;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.Cluster;
import io.cairn.client.Maintenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** member, endpoint, alarm, defrag, snapshot and version. */
final class ClusterCommands {
    private ClusterCommands() {
    }

    /** One client per endpoint: --cluster means every member's client URLs. */
    static List<String> endpoints(Base cmd, Client client, boolean cluster) {
        if (!cluster) {
            return cmd.root().endpoints();
        }
        List<String> all = new ArrayList<>();
        for (Cluster.Member m : Base.await(client.cluster().list()).members()) {
            all.addAll(m.clientUrls());
        }
        return all;
    }

    /** A client to one endpoint, with the root command's credentials. */
    static Client single(Base cmd, String endpoint) {
        return cmd.root().client(List.of(endpoint));
    }

    @Command(name = "member", description = "Membership related commands.",
            subcommands = {Member.ListMembers.class, Member.Add.class, Member.Remove.class, Member.Update.class,
                    Member.Promote.class})
    static final class Member {
        @Command(name = "add", description = "Adds a member into the cluster.")
        static final class Add extends Base {
            @Parameters(index = "0", description = "member name")
            String name;

            @Option(names = "--peer-urls", required = true, split = ",", description = "comma separated peer URLs for the new member")
            java.util.List<String> peerUrls;

            @Option(names = "--learner", description = "indicates if the new member is raft learner")
            boolean learner;

            @Override
            int run(Client client) {
                Cluster.MemberAdded r = await(client.cluster().add(peerUrls, learner));
                if (json()) {
                    printJson(GoJson.memberAdded(r));
                    return 0;
                }
                out().printf("Member %16x added to cluster %16x%n%n", r.member().id(), r.header().clusterId());
                java.util.List<String> initial = new java.util.ArrayList<>();
                for (Cluster.Member m : r.members()) {
                    String memberName = m.id() == r.member().id() ? name : m.name();
                    for (String url : m.peerUrls()) {
                        initial.add(memberName + "=" + url); // as etcdctl: members not started yet have no name
                    }
                }
                out().printf("ETCD_NAME=\"%s\"%n", name);
                out().printf("ETCD_INITIAL_CLUSTER=\"%s\"%n", String.join(",", initial));
                out().printf("ETCD_INITIAL_ADVERTISE_PEER_URLS=\"%s\"%n", String.join(",", peerUrls));
                out().println("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
                return 0;
            }
        }

        @Command(name = "remove", description = "Removes a member from the cluster.")
        static final class Remove extends Base {
            @Parameters(index = "0", description = "member ID in hexadecimal")
            String id;

            @Override
            int run(Client client) {
                Cluster.MemberList r = await(client.cluster().remove(hex(id)));
                out().printf("Member %16x removed from cluster %16x%n", hex(id), r.header().clusterId());
                return 0;
            }
        }

        @Command(name = "update", description = "Updates a member in the cluster.")
        static final class Update extends Base {
            @Parameters(index = "0", description = "member ID in hexadecimal")
            String id;

            @Option(names = "--peer-urls", required = true, split = ",", description = "comma separated peer URLs for the updated member")
            java.util.List<String> peerUrls;

            @Override
            int run(Client client) {
                Cluster.MemberList r = await(client.cluster().update(hex(id), peerUrls));
                out().printf("Member %16x updated in cluster %16x%n", hex(id), r.header().clusterId());
                return 0;
            }
        }

        @Command(name = "promote", description = "Promotes a non-voting member in the cluster.")
        static final class Promote extends Base {
            @Parameters(index = "0", description = "member ID in hexadecimal")
            String id;

            @Override
            int run(Client client) {
                Cluster.MemberList r = await(client.cluster().promote(hex(id)));
                out().printf("Member %16x promoted in cluster %16x%n", hex(id), r.header().clusterId());
                return 0;
            }
        }

        @Command(name = "list", description = "Lists all members in the cluster.")
        static final class ListMembers extends Base {
            @Override
            int run(Client client) {
                Cluster.MemberList r = await(client.cluster().list());
                if (json()) {
                    printJson(GoJson.members(r));
                    return 0;
                }
                for (Cluster.Member m : r.members()) {
                    out().printf("%x, %s, %s, %s, %s, %s%n", m.id(), m.name().isEmpty() ? "unstarted" : "started",
                            m.name(), String.join(",", m.peerUrls()), String.join(",", m.clientUrls()), m.learner());
                }
                return 0;
            }
        }
    }

    @Command(name = "endpoint", description = "Endpoint related commands.",
            subcommands = {Endpoint.Status.class, Endpoint.Health.class, Endpoint.HashKv.class})
    static final class Endpoint {
        @Command(name = "status", description = "Prints out the status of endpoints.")
        static final class Status extends Base {
            @Option(names = "--cluster", description = "use all endpoints from the cluster member list")
            boolean cluster;

            @Override
            int run(Client client) {
                for (String ep : endpoints(this, client, cluster)) {
                    try (Client one = single(this, ep)) {
                        Maintenance.Status s = await(one.maintenance().status());
                        if (json()) {
                            printJson("[{\"Endpoint\":" + GoJson.quote(ep) + ",\"Status\":" + GoJson.status(s) + "}]");
                            continue;
                        }
                        out().printf("%s, %x, %s, %s, %s, %s, %d, %d, %d, %s%n", ep, s.header().memberId(),
                                s.version(), humanBytes(s.dbSize()), s.leader() == s.header().memberId(),
                                s.learner(), s.raftTerm(), s.raftIndex(), s.raftAppliedIndex(), String.join(", ", s.errors()));
                    }
                }
                return 0;
            }
        }

        @Command(name = "health", description = "Checks the healthiness of endpoints.")
        static final class Health extends Base {
            @Option(names = "--cluster", description = "use all endpoints from the cluster member list")
            boolean cluster;

            @Override
            int run(Client client) {
                boolean healthy = true;
                for (String ep : endpoints(this, client, cluster)) {
                    try (Client one = single(this, ep)) {
                        long start = System.nanoTime();
                        try {
                            one.kv().get("health").join();
                            out().printf("%s is healthy: successfully committed proposal: took = %s%n", ep,
                                    goDuration(System.nanoTime() - start));
                        } catch (RuntimeException e) {
                            String why = Cairnctl.message(e);
                            if (why.contains("permission denied")) { // etcd counts a refusal as an answer
                                out().printf("%s is healthy: successfully committed proposal: took = %s%n", ep,
                                        goDuration(System.nanoTime() - start));
                            } else {
                                healthy = false;
                                root().err.printf("%s is unhealthy: failed to commit proposal: %s%n", ep, why);
                            }
                        }
                    }
                }
                if (!healthy) {
                    throw new Cairnctl.Exit(Cairnctl.EXIT_ERROR, "unhealthy cluster");
                }
                return 0;
            }
        }

        @Command(name = "hashkv", description = "Prints the KV history hash for each endpoint.")
        static final class HashKv extends Base {
            @Option(names = "--cluster", description = "use all endpoints from the cluster member list")
            boolean cluster;

            @Option(names = "--rev", defaultValue = "0", description = "maximum revision to hash")
            long rev;

            @Override
            int run(Client client) {
                for (String ep : endpoints(this, client, cluster)) {
                    try (Client one = single(this, ep)) {
                        Maintenance.HashKv h = await(one.maintenance().hashKv(rev));
                        out().printf("%s, %d%n", ep, h.hash() & 0xffffffffL); // etcd's hash is a uint32
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "alarm", description = "Alarm related commands.", subcommands = {Alarm.ListAlarms.class, Alarm.Disarm.class})
    static final class Alarm {
        static void print(Base cmd, List<Maintenance.Alarm> alarms) {
            for (Maintenance.Alarm a : alarms) {
                cmd.out().printf("memberID:%d alarm:%s %n", a.memberId(), a.type());
            }
        }

        @Command(name = "list", description = "Lists all alarms.")
        static final class ListAlarms extends Base {
            @Override
            int run(Client client) {
                print(this, await(client.maintenance().alarms()));
                return 0;
            }
        }

        @Command(name = "disarm", description = "Disarms all alarms.")
        static final class Disarm extends Base {
            @Override
            int run(Client client) {
                for (Maintenance.Alarm a : await(client.maintenance().alarms())) {
                    print(this, await(client.maintenance().disarm(a)));
                }
                return 0;
            }
        }
    }

    @Command(name = "move-leader", description = "Transfers leadership to another etcd cluster member.")
    static final class MoveLeader extends Base {
        @Parameters(index = "0", description = "transferee member ID in hexadecimal")
        String id;

        @Override
        int run(Client client) {
            Maintenance.Status s = await(client.maintenance().status());
            await(client.maintenance().moveLeader(hex(id)));
            out().printf("Leadership transferred from %x to %x%n", s.leader(), hex(id));
            return 0;
        }
    }

    @Command(name = "defrag", description = "Defragments the storage of the etcd members with given endpoints.")
    static final class Defrag extends Base {
        @Option(names = "--cluster", description = "use all endpoints from the cluster member list")
        boolean cluster;

        @Override
        int run(Client client) {
            for (String ep : endpoints(this, client, cluster)) {
                try (Client one = single(this, ep)) {
                    await(one.maintenance().defragment());
                    out().printf("Finished defragmenting etcd member[%s]%n", ep);
                }
            }
            return 0;
        }
    }

    @Command(name = "snapshot", description = "Manages etcd node snapshots.", subcommands = Snapshot.Save.class)
    static final class Snapshot {
        @Command(name = "save", description = "Stores an etcd node backend snapshot to a given file.")
        static final class Save extends Base {
            @Parameters(index = "0", description = "file")
            Path file;

            /**
             * Saves the snapshot, showing progress on stderr. The SDK writes it aside and renames
             * it into place only once its SHA-256 trailer matches (DATA_LOSS when it does not).
             */
            @Override
            int run(Client client) {
                List<String> eps = endpoints(this, client, false);
                if (eps.size() != 1) {
                    throw new Cairnctl.Exit(Cairnctl.EXIT_BAD_ARGS, "snapshot must be requested to one selected node, not multiple");
                }
                AtomicLong shown = new AtomicLong();
                long received;
                try {
                    received = client.maintenance().snapshot(file, total -> {
                        if (total - shown.get() >= (1 << 20)) {
                            shown.set(total);
                            root().err.printf("\rdownloaded %s", humanBytes(total));
                        }
                    }).join();
                } catch (CompletionException e) {
                    if (shown.get() > 0) {
                        root().err.println();
                    }
                    if (e.getCause() instanceof CairnException c && c.code() == CairnException.Code.DATA_LOSS) {
                        throw new Cairnctl.Exit(Cairnctl.EXIT_ERROR, "snapshot is corrupt: its SHA-256 does not match");
                    }
                    throw new Cairnctl.Exit(Cairnctl.EXIT_ERROR, Cairnctl.message(e));
                }
                root().err.printf("\rdownloaded %s%n", humanBytes(received));
                out().println("Snapshot saved at " + file);
                return 0;
            }
        }
    }

    @Command(name = "version", description = "Prints the version of cairnctl.")
    static final class Version implements java.util.concurrent.Callable<Integer>, picocli.CommandLine.IVersionProvider {
        @Override
        public Integer call() {
            for (String line : getVersion()) {
                System.out.println(line);
            }
            return 0;
        }

        /** What both "version" and "--version" print, in etcdctl's words. */
        @Override
        public String[] getVersion() {
            String v = Cairnctl.class.getPackage().getImplementationVersion();
            return new String[] {"cairnctl version: " + (v == null ? "0.1.0-SNAPSHOT" : v), "API version: 3.4"};
        }
    }

    /** go-humanize's Bytes: SI units, one decimal below 10. */
    static String humanBytes(long n) {
        if (n < 10) {
            return n + " B";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        int e = (int) Math.floor(Math.log(n) / Math.log(1000));
        double val = Math.floor(n / Math.pow(1000, e) * 10 + 0.5) / 10;
        return String.format(val < 10 ? "%.1f %s" : "%.0f %s", val, units[e]);
    }

    /** Go's time.Duration string, as etcdctl prints how long a check took. */
    static String goDuration(long nanos) {
        if (nanos < 1_000) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000) {
            return trim(nanos / 1e3) + "µs";
        }
        if (nanos < 1_000_000_000) {
            return trim(nanos / 1e6) + "ms";
        }
        return trim(nanos / 1e9) + "s";
    }

    private static String trim(double v) {
        String s = String.format("%.6f", v);
        return s.replaceFirst("0+$", "").replaceFirst("\\.$", "");
    }
}
