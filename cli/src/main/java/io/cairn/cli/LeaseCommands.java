package io.cairn.cli;

import io.cairn.api.etcd.LeaseGrantRequest;
import io.cairn.api.etcd.LeaseGrantResponse;
import io.cairn.api.etcd.LeaseGrpc;
import io.cairn.api.etcd.LeaseLeasesRequest;
import io.cairn.api.etcd.LeaseLeasesResponse;
import io.cairn.api.etcd.LeaseRevokeRequest;
import io.cairn.api.etcd.LeaseRevokeResponse;
import io.cairn.api.etcd.LeaseStatus;
import io.cairn.api.etcd.LeaseTimeToLiveRequest;
import io.cairn.api.etcd.LeaseTimeToLiveResponse;
import io.cairn.client.Client;
import io.cairn.client.Lease;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** lease grant, revoke, timetolive, list and keep-alive, printed as etcdctl prints them. */
@Command(name = "lease", description = "Lease related commands.",
        subcommands = {LeaseCommands.Grant.class, LeaseCommands.Revoke.class, LeaseCommands.TimeToLive.class,
                LeaseCommands.ListLeases.class, LeaseCommands.KeepAlive.class})
final class LeaseCommands {
    @Command(name = "grant", description = "Creates leases.")
    static final class Grant extends Base {
        @Parameters(index = "0", description = "TTL in seconds")
        long ttl;

        @Override
        int run(Client client) {
            LeaseGrantResponse r = await(client.unary(LeaseGrpc.getLeaseGrantMethod(),
                    LeaseGrantRequest.newBuilder().setTTL(ttl).build(), false), "failed to grant lease (%s)");
            if (json()) {
                printJson(r);
            } else {
                out().printf("lease %016x granted with TTL(%ds)%n", r.getID(), r.getTTL());
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revokes leases.")
    static final class Revoke extends Base {
        @Parameters(index = "0", description = "lease ID in hexadecimal")
        String id;

        @Override
        int run(Client client) {
            LeaseRevokeResponse r = await(client.unary(LeaseGrpc.getLeaseRevokeMethod(),
                    LeaseRevokeRequest.newBuilder().setID(hex(id)).build(), false), "failed to revoke lease (%s)");
            if (json()) {
                printJson(r);
            } else {
                out().printf("lease %016x revoked%n", hex(id));
            }
            return 0;
        }
    }

    @Command(name = "timetolive", description = "Get lease information.")
    static final class TimeToLive extends Base {
        @Parameters(index = "0", description = "lease ID in hexadecimal")
        String id;

        @Option(names = "--keys", description = "Get keys attached to this lease")
        boolean keys;

        @Override
        int run(Client client) {
            LeaseTimeToLiveResponse r = await(client.unary(LeaseGrpc.getLeaseTimeToLiveMethod(),
                    LeaseTimeToLiveRequest.newBuilder().setID(hex(id)).setKeys(keys).build(), true));
            if (json()) {
                printJson(r);
            } else if (r.getTTL() == -1) {
                out().printf("lease %016x already expired%n", r.getID());
            } else if (keys) {
                out().printf("lease %016x granted with TTL(%ds), remaining(%ds), attached keys(%s)%n", r.getID(),
                        r.getGrantedTTL(), r.getTTL(),
                        r.getKeysList().stream().map(k -> k.toStringUtf8()).collect(Collectors.joining(" ", "[", "]")));
            } else {
                out().printf("lease %016x granted with TTL(%ds), remaining(%ds)%n", r.getID(), r.getGrantedTTL(), r.getTTL());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List all active leases.")
    static final class ListLeases extends Base {
        @Override
        int run(Client client) {
            LeaseLeasesResponse r = await(client.unary(LeaseGrpc.getLeaseLeasesMethod(),
                    LeaseLeasesRequest.getDefaultInstance(), true));
            if (json()) {
                printJson(r);
                return 0;
            }
            out().printf("found %d leases%n", r.getLeasesCount());
            for (LeaseStatus l : r.getLeasesList()) {
                out().printf("%016x%n", l.getID());
            }
            return 0;
        }
    }

    @Command(name = "keep-alive", description = "Keeps leases alive (renew).")
    static final class KeepAlive extends Base {
        @Parameters(index = "0", description = "lease ID in hexadecimal")
        String id;

        @Option(names = "--once", description = "Resets the keep-alive time to its original value and exits")
        boolean once;

        @Override
        int run(Client client) throws InterruptedException {
            long lease = hex(id);
            CountDownLatch done = new CountDownLatch(1);
            try (Lease.KeepAlive k = client.lease().keepAlive(lease, r -> {
                if (r.getTTL() <= 0) {
                    out().printf("lease %016x expired or revoked.%n", lease);
                    done.countDown();
                    return;
                }
                if (json()) {
                    printJson(r);
                } else {
                    out().printf("lease %016x keepalived with TTL(%d)%n", r.getID(), r.getTTL());
                }
                if (once) {
                    done.countDown();
                }
            })) {
                done.await();
            }
            return 0;
        }
    }
}
