package io.cairn.client;

import io.cairn.client.discovery.RegistrationSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A service process for multi-process tests: registers {@code count} instances on one session
 * (one lease for all, as a process with many endpoints would), prints READY, and keeps them alive
 * until it is killed or its parent's input closes.
 *
 * <p>Arguments: endpoint, service, id prefix, count, TTL in seconds.
 */
public final class RegistrantMain {
    private RegistrantMain() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String service = args[1];
        String prefix = args[2];
        int count = Integer.parseInt(args[3]);
        Duration ttl = Duration.ofSeconds(Long.parseLong(args[4]));
        try (Client client = Client.builder().endpoints(endpoint).build()) {
            Session session = client.session(ttl).get();
            List<CompletableFuture<?>> registered = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                registered.add(client.discovery().register(RegistrationSpec.builder(service).id(prefix + i)
                        .address("127.0.0.1", 10_000 + i).session(session).build()));
                if (registered.size() % 50 == 0) {
                    CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).get();
                }
            }
            CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).get();
            System.out.println("READY " + count + " lease " + session.leaseId());
            System.out.flush();
            // until the test kills this process, or ends and closes its input
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        }
    }
}
