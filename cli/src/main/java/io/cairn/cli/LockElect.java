package io.cairn.cli;

import io.cairn.client.Client;
import io.cairn.client.Election.Leadership;
import io.cairn.client.KeyValue;
import io.cairn.client.Lease;
import io.cairn.client.Lock.Held;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** lock and elect: held through a session lease that is kept alive and revoked on the way out. */
final class LockElect {
    private LockElect() {
    }

    /** A lease kept alive for the command's life; revoked when it ends, SIGTERM included. */
    static long session(Client client, long ttl) {
        long lease = Base.await(client.lease().grant(ttl)).id();
        Lease.KeepAlive keep = client.lease().keepAlive(lease);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            keep.close();
            try {
                client.lease().revoke(lease).get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // the lease expires by itself
            }
        }));
        return lease;
    }

    @Command(name = "lock", description = "Acquires a named lock.")
    static final class Lock extends Base {
        @Parameters(index = "0", description = "lock name")
        String name;

        @Parameters(index = "1..*", arity = "0..*", description = "command to run while holding the lock")
        List<String> command = new ArrayList<>();

        @Option(names = "--ttl", defaultValue = "10", description = "timeout for session")
        long ttl;

        @Override
        int run(Client client) throws Exception {
            long lease = session(client, ttl);
            Held held = await(client.lock().lock(name, lease));
            if (command.isEmpty()) {
                out().println(held.key().toStringUtf8());
                out().println();
                new CountDownLatch(1).await(); // until killed
                return 0;
            }
            // as etcdctl: the command learns the lock's key and value through its environment
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            pb.environment().put("ETCD_LOCK_KEY", held.key().toStringUtf8());
            pb.environment().put("ETCD_LOCK_REV", Long.toString(held.revision()));
            int exit = pb.start().waitFor();
            await(client.lock().unlock(held));
            return exit;
        }
    }

    @Command(name = "elect", description = "Observes and participates in leader election.")
    static final class Elect extends Base {
        @Parameters(index = "0", description = "election name")
        String name;

        @Parameters(index = "1", arity = "0..1", description = "proposal")
        String proposal;

        @Option(names = {"-l", "--listen"}, description = "observation mode")
        boolean listen;

        @Option(names = "--ttl", defaultValue = "10", description = "timeout for session")
        long ttl;

        @Override
        int run(Client client) throws Exception {
            if (listen) {
                try (var o = client.election().observe(name, this::print)) {
                    new CountDownLatch(1).await();
                }
                return 0;
            }
            if (proposal == null) {
                throw new Cairnctl.Exit(Cairnctl.EXIT_BAD_ARGS, "no proposal argument but -l not set");
            }
            long lease = session(client, ttl);
            Leadership leader = await(client.election().campaign(name, lease, proposal));
            KeyValue current = await(client.election().leader(name));
            // as etcdctl: the key this campaign holds, and the value it leads with
            print(new KeyValue(leader.key(), current.value(), current.createRevision(), current.modRevision(),
                    current.version(), current.lease()));
            new CountDownLatch(1).await(); // leads until killed
            return 0;
        }

        private synchronized void print(KeyValue kv) {
            printKv(kv, false);
        }
    }
}
