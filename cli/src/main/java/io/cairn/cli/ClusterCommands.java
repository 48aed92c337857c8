package io.cairn.cli;

import io.cairn.api.etcd.AlarmMember;
import io.cairn.api.etcd.AlarmRequest;
import io.cairn.api.etcd.AlarmResponse;
import io.cairn.api.etcd.ClusterGrpc;
import io.cairn.api.etcd.DefragmentRequest;
import io.cairn.api.etcd.HashKVRequest;
import io.cairn.api.etcd.HashKVResponse;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.MaintenanceGrpc;
import io.cairn.api.etcd.MemberListRequest;
import io.cairn.api.etcd.MemberListResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.api.etcd.SnapshotRequest;
import io.cairn.api.etcd.SnapshotResponse;
import io.cairn.api.etcd.StatusRequest;
import io.cairn.api.etcd.StatusResponse;
import io.cairn.client.Client;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
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
        for (io.cairn.api.etcd.Member m : Base.await(client.unary(ClusterGrpc.getMemberListMethod(), MemberListRequest.getDefaultInstance(), true))
                .getMembersList()) {
            all.addAll(m.getClientURLsList());
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
                io.cairn.api.etcd.MemberAddResponse r = await(client.unary(ClusterGrpc.getMemberAddMethod(),
                        io.cairn.api.etcd.MemberAddRequest.newBuilder().addAllPeerURLs(peerUrls).setIsLearner(learner).build(), false));
                if (json()) {
                    printJson(r);
                    return 0;
                }
                out().printf("Member %16x added to cluster %16x%n%n", r.getMember().getID(), r.getHeader().getClusterId());
                java.util.List<String> initial = new java.util.ArrayList<>();
                for (io.cairn.api.etcd.Member m : r.getMembersList()) {
                    String memberName = m.getID() == r.getMember().getID() ? name : m.getName();
                    for (String url : m.getPeerURLsList()) {
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
                var r = await(client.unary(ClusterGrpc.getMemberRemoveMethod(),
                        io.cairn.api.etcd.MemberRemoveRequest.newBuilder().setID(hex(id)).build(), false));
                out().printf("Member %16x removed from cluster %16x%n", hex(id), r.getHeader().getClusterId());
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
                var r = await(client.unary(ClusterGrpc.getMemberUpdateMethod(),
                        io.cairn.api.etcd.MemberUpdateRequest.newBuilder().setID(hex(id)).addAllPeerURLs(peerUrls).build(), false));
                out().printf("Member %16x updated in cluster %16x%n", hex(id), r.getHeader().getClusterId());
                return 0;
            }
        }

        @Command(name = "promote", description = "Promotes a non-voting member in the cluster.")
        static final class Promote extends Base {
            @Parameters(index = "0", description = "member ID in hexadecimal")
            String id;

            @Override
            int run(Client client) {
                var r = await(client.unary(ClusterGrpc.getMemberPromoteMethod(),
                        io.cairn.api.etcd.MemberPromoteRequest.newBuilder().setID(hex(id)).build(), false));
                out().printf("Member %16x promoted in cluster %16x%n", hex(id), r.getHeader().getClusterId());
                return 0;
            }
        }

        @Command(name = "list", description = "Lists all members in the cluster.")
        static final class ListMembers extends Base {
            @Override
            int run(Client client) {
                MemberListResponse r = await(client.unary(ClusterGrpc.getMemberListMethod(), MemberListRequest.getDefaultInstance(), true));
                if (json()) {
                    printJson(r);
                    return 0;
                }
                for (io.cairn.api.etcd.Member m : r.getMembersList()) {
                    out().printf("%x, %s, %s, %s, %s, %s%n", m.getID(), m.getName().isEmpty() ? "unstarted" : "started",
                            m.getName(), String.join(",", m.getPeerURLsList()), String.join(",", m.getClientURLsList()),
                            m.getIsLearner());
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
                        StatusResponse s = await(one.unary(MaintenanceGrpc.getStatusMethod(), StatusRequest.getDefaultInstance(), true));
                        if (json()) {
                            out().println("[{\"Endpoint\":\"" + ep + "\",\"Status\":" + GoJson.print(s) + "}]");
                            continue;
                        }
                        out().printf("%s, %x, %s, %s, %s, %s, %d, %d, %d, %s%n", ep, s.getHeader().getMemberId(),
                                s.getVersion(), humanBytes(s.getDbSize()), s.getLeader() == s.getHeader().getMemberId(),
                                s.getIsLearner(), s.getRaftTerm(), s.getRaftIndex(), s.getRaftAppliedIndex(),
                                String.join(", ", s.getErrorsList()));
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
                            one.unary(KVGrpc.getRangeMethod(), RangeRequest.newBuilder()
                                    .setKey(com.google.protobuf.ByteString.copyFromUtf8("health")).build(), false).join();
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
                        HashKVResponse h = await(one.unary(MaintenanceGrpc.getHashKVMethod(),
                                HashKVRequest.newBuilder().setRevision(rev).build(), true));
                        out().printf("%s, %d%n", ep, Integer.toUnsignedLong(h.getHash()));
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "alarm", description = "Alarm related commands.", subcommands = {Alarm.ListAlarms.class, Alarm.Disarm.class})
    static final class Alarm {
        static void print(Base cmd, AlarmResponse r) {
            for (AlarmMember a : r.getAlarmsList()) {
                cmd.out().printf("memberID:%d alarm:%s %n", a.getMemberID(), a.getAlarm());
            }
        }

        @Command(name = "list", description = "Lists all alarms.")
        static final class ListAlarms extends Base {
            @Override
            int run(Client client) {
                print(this, await(client.unary(MaintenanceGrpc.getAlarmMethod(),
                        AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build(), true)));
                return 0;
            }
        }

        @Command(name = "disarm", description = "Disarms all alarms.")
        static final class Disarm extends Base {
            @Override
            int run(Client client) {
                AlarmResponse all = await(client.unary(MaintenanceGrpc.getAlarmMethod(),
                        AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build(), true));
                for (AlarmMember a : all.getAlarmsList()) {
                    print(this, await(client.unary(MaintenanceGrpc.getAlarmMethod(), AlarmRequest.newBuilder()
                            .setAction(AlarmRequest.AlarmAction.DEACTIVATE).setMemberID(a.getMemberID())
                            .setAlarm(a.getAlarm()).build(), false)));
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
            StatusResponse s = await(client.unary(MaintenanceGrpc.getStatusMethod(), StatusRequest.getDefaultInstance(), true));
            await(client.unary(MaintenanceGrpc.getMoveLeaderMethod(),
                    io.cairn.api.etcd.MoveLeaderRequest.newBuilder().setTargetID(hex(id)).build(), false));
            out().printf("Leadership transferred from %x to %x%n", s.getLeader(), hex(id));
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
                    await(one.unary(MaintenanceGrpc.getDefragmentMethod(), DefragmentRequest.getDefaultInstance(), false));
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

            /** Streams the snapshot, checks its SHA-256 trailer, shows progress on stderr, then renames into place. */
            @Override
            int run(Client client) throws Exception {
                List<String> eps = endpoints(this, client, false);
                if (eps.size() != 1) {
                    throw new Cairnctl.Exit(Cairnctl.EXIT_BAD_ARGS, "snapshot must be requested to one selected node, not multiple");
                }
                Path part = file.resolveSibling(file.getFileName() + ".part");
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long received = 0;
                long lastShown = 0;
                byte[] tail = new byte[0];
                try (Client one = single(this, eps.get(0)); OutputStream out = Files.newOutputStream(part)) {
                    await(one.login());
                    Iterator<SnapshotResponse> chunks = io.grpc.stub.ClientCalls.blockingServerStreamingCall(one.channel(),
                            MaintenanceGrpc.getSnapshotMethod(), io.grpc.CallOptions.DEFAULT, SnapshotRequest.getDefaultInstance());
                    while (chunks.hasNext()) {
                        SnapshotResponse chunk = chunks.next();
                        byte[] bytes = chunk.getBlob().toByteArray();
                        // the last 32 bytes of the stream are the digest of what precedes them
                        byte[] all = concat(tail, bytes);
                        int keep = Math.min(32, all.length);
                        out.write(all, 0, all.length - keep);
                        sha.update(all, 0, all.length - keep);
                        tail = Arrays.copyOfRange(all, all.length - keep, all.length);
                        received += bytes.length;
                        long total = received + chunk.getRemainingBytes();
                        if (received - lastShown >= (1 << 20) || chunk.getRemainingBytes() == 0) {
                            lastShown = received;
                            root().err.printf("\rdownloaded %s of %s", humanBytes(received), humanBytes(total));
                        }
                    }
                    out.write(tail);
                }
                root().err.println();
                if (tail.length != 32 || !Arrays.equals(tail, sha.digest())) {
                    Files.deleteIfExists(part);
                    throw new Cairnctl.Exit(Cairnctl.EXIT_ERROR, "snapshot is corrupt: its SHA-256 does not match");
                }
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out().println("Snapshot saved at " + file);
                return 0;
            }

            private static byte[] concat(byte[] a, byte[] b) {
                byte[] c = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, c, a.length, b.length);
                return c;
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
