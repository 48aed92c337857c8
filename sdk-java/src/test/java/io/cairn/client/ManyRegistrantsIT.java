package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.discovery.InstanceQuery;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.ProcessLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand instances from four service processes on one member; one process is SIGKILLed: its
 * instances leave lookups within their TTL and a second, and each subscriber is told of each
 * removal exactly once, and of nothing else.
 */
@ExtendWith(OwnedProcesses.class)
class ManyRegistrantsIT {
    private static final int PROCESSES = 4;
    private static final int PER_PROCESS = 250;
    private static final int TTL_SECONDS = 3;

    @Test
    void aKilledProcessesInstancesGoWithinTheirTtlAndEverySubscriberIsToldOnce() throws Exception {
        Path dir = Files.createTempDirectory("many-registrants");
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
             Client client = Client.builder().endpoints(cairn.advertisedClientUrl()).build()) {
            List<Client> subscriberClients = new ArrayList<>();
            List<RecordingListener> subscribers = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                Client c = Client.builder().endpoints(cairn.advertisedClientUrl()).build();
                subscriberClients.add(c);
                RecordingListener listener = new RecordingListener();
                c.discovery().subscribe("default", "fleet", listener);
                subscribers.add(listener);
            }
            List<Process> registrants = new ArrayList<>();
            for (int p = 0; p < PROCESSES; p++) {
                registrants.add(startRegistrant(cairn.advertisedClientUrl(), "p" + p + "-"));
            }
            for (Process p : registrants) {
                awaitReady(p);
            }
            InstanceQuery all = InstanceQuery.builder(ServiceKey.of("fleet")).build();
            eventually("all registered", Duration.ofSeconds(30),
                    () -> client.discovery().sync().listInstances(all).instances().size() == PROCESSES * PER_PROCESS);
            for (RecordingListener l : subscribers) {
                eventually("a subscriber sees all", Duration.ofSeconds(30), () -> l.ids().size() == PROCESSES * PER_PROCESS);
            }

            Process victim = registrants.get(1);
            long killedAt = System.nanoTime();
            OwnedProcesses.kill(victim); // SIGKILL: no deregistration, its lease just stops being renewed
            eventually("the killed process's instances gone from lookups", Duration.ofSeconds(TTL_SECONDS + 5),
                    () -> client.discovery().sync().listInstances(all).instances().stream()
                            .noneMatch(i -> i.id().startsWith("p1-")));
            long goneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.println("ManyRegistrantsIT: " + PER_PROCESS + " instances gone from lookups " + goneMs
                    + " ms after SIGKILL (TTL " + TTL_SECONDS + " s)");
            assertThat(goneMs).as("gone within TTL + 1 s").isLessThanOrEqualTo(TimeUnit.SECONDS.toMillis(TTL_SECONDS + 1));

            List<String> survivors = client.discovery().sync().listInstances(all).instances().stream()
                    .map(ServiceInstance::id).sorted().toList();
            assertThat(survivors).hasSize((PROCESSES - 1) * PER_PROCESS);
            for (RecordingListener l : subscribers) {
                eventually("a subscriber told of every removal", Duration.ofSeconds(10), () -> l.ids().equals(survivors));
                List<String> told = l.drain();
                List<String> removals = told.stream().filter(t -> t.startsWith("REMOVED:")).toList();
                assertThat(removals).hasSize(PER_PROCESS).doesNotHaveDuplicates()
                        .allMatch(t -> t.startsWith("REMOVED:p1-"));
                assertThat(told.stream().filter(t -> t.startsWith("ADDED:")).count())
                        .as("each instance added once").isEqualTo(PROCESSES * PER_PROCESS);
                assertThat(l.problems()).isEmpty();
            }
            subscriberClients.forEach(Client::close);
            for (Process p : registrants) {
                OwnedProcesses.kill(p);
            }
        }
    }

    private static Process startRegistrant(String endpoint, String prefix) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return OwnedProcesses.own(new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RegistrantMain.class.getName(),
                endpoint, "fleet", prefix, String.valueOf(PER_PROCESS), String.valueOf(TTL_SECONDS))
                .redirectErrorStream(true).start());
    }

    private static void awaitReady(Process p) throws Exception {
        ProcessLines.of("registrant " + p.pid(), p).until("READY", Duration.ofSeconds(60));
    }

    private static void eventually(String what, Duration limit, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
