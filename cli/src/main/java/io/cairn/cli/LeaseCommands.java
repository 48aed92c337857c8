package io.cairn.cli;

import io.cairn.client.Bytes;
import io.cairn.client.Client;
import io.cairn.client.Header;
import io.cairn.client.Lease;
import io.cairn.client.LeaseGrant;
import io.cairn.client.LeaseTimeToLive;
import io.cairn.client.Listing;
import java.util.List;
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
            LeaseGrant r = await(client.lease().grant(ttl), "failed to grant lease (%s)");
            if (json()) {
                printJson(GoJson.leaseGrant(r));
            } else {
                out().printf("lease %016x granted with TTL(%ds)%n", r.id(), r.ttl());
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
            Header h = await(client.lease().revoke(hex(id)), "failed to revoke lease (%s)");
            if (json()) {
                printJson(GoJson.headerOnly(h));
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
            LeaseTimeToLive r = await(client.lease().timeToLive(hex(id), keys));
            if (json()) {
                printJson(GoJson.timeToLive(r));
            } else if (r.ttl() == -1) {
                out().printf("lease %016x already expired%n", r.id());
            } else if (keys) {
                out().printf("lease %016x granted with TTL(%ds), remaining(%ds), attached keys(%s)%n", r.id(),
                        r.grantedTtl(), r.ttl(), r.keys().stream().map(Bytes::toStringUtf8).collect(Collectors.joining(" ", "[", "]")));
            } else {
                out().printf("lease %016x granted with TTL(%ds), remaining(%ds)%n", r.id(), r.grantedTtl(), r.ttl());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List all active leases.")
    static final class ListLeases extends Base {
        @Override
        int run(Client client) {
            Listing<Long> answer = await(client.lease().leases());
            List<Long> leases = answer.items();
            if (json()) {
                printJson(GoJson.leases(answer.header(), leases));
                return 0;
            }
            out().printf("found %d leases%n", leases.size());
            for (long id : leases) {
                out().printf("%016x%n", id);
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
                if (r.ttl() <= 0) {
                    out().printf("lease %016x expired or revoked.%n", lease);
                    done.countDown();
                    return;
                }
                if (json()) {
                    printJson(GoJson.keepAlive(r));
                } else {
                    out().printf("lease %016x keepalived with TTL(%d)%n", r.id(), r.ttl());
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
