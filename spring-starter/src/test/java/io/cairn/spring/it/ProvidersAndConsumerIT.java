package io.cairn.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.CairnException;
import io.cairn.client.Client;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Format;
import io.cairn.client.config.GrayRules;
import io.cairn.client.config.Rollout;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.spring.it.consumer.ConsumerApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestTemplate;

/**
 * Real Boot applications on the starter against a real member: providers in their own JVMs
 * (registered when their web servers are up, configured by a {@code cairn:} import), and a
 * consumer whose {@code @LoadBalanced RestTemplate} calls them by name.
 */
@ExtendWith(OwnedProcesses.class)
class ProvidersAndConsumerIT {
    private static final ServiceKey PROVIDER = ServiceKey.of("provider");
    private static final ConfigKey PROVIDER_CONFIG = ConfigKey.of("provider");
    private static final long TTL_MS = 3_000;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void providersRegisterTakeConfigChangesAndLeaveWithoutFailingACall() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        String endpoint = cairn.advertisedClientUrl();
        try (Client admin = Client.builder().endpoints(endpoint).build()) {
            admin.config().sync().publish(PROVIDER_CONFIG, "greeting.message=hello v1\ngreeting.mood=calm\n", Format.PROPERTIES);
            ProviderProcess p1 = ProviderProcess.start("p1", endpoint, dir);
            ProviderProcess p2 = ProviderProcess.start("p2", endpoint, dir);
            awaitRegistered(admin, Set.of("p1", "p2"), p1, p2);

            try (ConfigurableApplicationContext consumer = new SpringApplicationBuilder(ConsumerApp.class).web(
                    org.springframework.boot.WebApplicationType.NONE).run(
                    "--spring.application.name=consumer", "--spring.cloud.cairn.endpoints=" + endpoint,
                    "--spring.cloud.cairn.discovery.register=false", "--spring.cloud.cairn.config.snapshot-dir=")) {
                RestTemplate rest = consumer.getBean(RestTemplate.class);
                Set<String> answered = new TreeSet<>();
                for (int i = 0; i < 20; i++) {
                    answered.add(rest.getForObject("http://provider/hello", String.class));
                }
                assertThat(answered).as("the providers reached by name").containsExactly("p1", "p2");
                assertThat(ConsumerApp.HEARTBEATS.get()).as("heartbeat events on the catalog's changes").isPositive();

                // a published change reaches both providers' bound and refresh-scoped beans, with no refresh call
                Map<String, String> urls = providerUrls(admin);
                long published = System.nanoTime();
                admin.config().sync().publish(PROVIDER_CONFIG, "greeting.message=hello v2\ngreeting.mood=cheerful\n", Format.PROPERTIES);
                for (String id : List.of("p1", "p2")) {
                    awaitProps(urls.get(id), "\"message\":\"hello v2\"", "\"mood\":\"cheerful\"", published);
                }
                long pushMs = (System.nanoTime() - published) / 1_000_000;
                System.out.println("ProvidersAndConsumerIT: publish to both providers' beans: " + pushMs + " ms");
                assertThat(pushMs).isLessThan(5_000);

                // each provider reports what it applied: both on version 2; a config the beans cannot bind is reported failed
                Rollout applied = admin.config().sync().awaitApplied(PROVIDER_CONFIG, 2, Duration.ofSeconds(30));
                assertThat(applied.receipts()).extracting(r -> r.labels().get("instance")).containsExactlyInAnyOrder("p1", "p2");
                long unbindable = admin.config().sync().publish(PROVIDER_CONFIG,
                        "greeting.message=hello v2\ngreeting.mood=cheerful\ngreeting.repeat=often\n", Format.PROPERTIES).version();
                assertThatThrownBy(() -> admin.config().sync().awaitApplied(PROVIDER_CONFIG, unbindable, Duration.ofSeconds(30)))
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage())
                                .contains("instances failed to apply version " + unbindable).contains("greeting.repeat"));
                long fixed = admin.config().sync().publish(PROVIDER_CONFIG, "greeting.message=hello v2\ngreeting.mood=cheerful\n",
                        Format.PROPERTIES).version();
                assertThat(admin.config().sync().awaitApplied(PROVIDER_CONFIG, fixed, Duration.ofSeconds(30)).receipts()).hasSize(2);

                // a gray release reaches the instance its rules match, and only it, until promoted
                admin.config().sync().startGray(PROVIDER_CONFIG, "greeting.message=hello gray\ngreeting.mood=curious\n",
                        GrayRules.labels(Map.of("instance", "p1")));
                awaitProps(urls.get("p1"), "\"message\":\"hello gray\"", "\"mood\":\"curious\"", System.nanoTime());
                assertThat(get(urls.get("p2") + "/props")).contains("hello v2");
                assertThat(awaitRollout(admin, r -> !r.onGrayCandidate().isEmpty()).onGrayCandidate())
                        .extracting(r -> r.labels().get("instance")).containsExactly("p1");
                admin.config().sync().promoteGray(PROVIDER_CONFIG, "to all");
                awaitProps(urls.get("p2"), "\"message\":\"hello gray\"", "\"mood\":\"curious\"", System.nanoTime());

                // SIGKILL one provider: after its TTL the consumer calls only the survivor, without error
                int heartbeats = ConsumerApp.HEARTBEATS.get();
                OwnedProcesses.kill(p2.process());
                long lastBadMs = callUntilQuiet(rest, "p1", 3_000, TTL_MS + 5_000);
                System.out.println("ProvidersAndConsumerIT: SIGKILL to the last failed or misrouted call: " + lastBadMs + " ms");
                assertThat(lastBadMs).as("ms from the kill to the last failed call").isLessThan(TTL_MS + 5_000);
                assertThat(ConsumerApp.HEARTBEATS.get()).as("a heartbeat event for the instance's leaving").isGreaterThan(heartbeats);

                // a provider shutting down gracefully fails no call: it deregisters and drains first
                ProviderProcess p3 = ProviderProcess.start("p3", endpoint, dir);
                awaitRegistered(admin, Set.of("p1", "p3"), p1, p3);
                long seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                Set<String> both = new TreeSet<>();
                while (both.size() < 2 && System.nanoTime() < seen) {
                    both.add(rest.getForObject("http://provider/hello", String.class));
                }
                assertThat(both).containsExactly("p1", "p3");

                // an operator takes p3 out of service through the actuator, and puts it back
                String p3Url = providerUrls(admin).get("p3");
                assertThat(get(p3Url + "/actuator/health")).contains("\"cairn\":{\"status\":\"UP\"").contains("\"registered\":true");
                setStatus(p3Url, "OUT_OF_SERVICE");
                assertThat(get(p3Url + "/actuator/serviceregistry")).contains("OUT_OF_SERVICE");
                assertThat(callUntilQuiet(rest, "p1", 1_000, 5_000)).as("ms until p3 is no longer called").isLessThan(5_000);
                setStatus(p3Url, "UP");
                both.clear();
                seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (both.size() < 2 && System.nanoTime() < seen) {
                    both.add(rest.getForObject("http://provider/hello", String.class));
                }
                assertThat(both).as("p3 back in service").containsExactly("p1", "p3");
                AtomicBoolean calling = new AtomicBoolean(true);
                AtomicInteger failures = new AtomicInteger();
                AtomicInteger calls = new AtomicInteger();
                Map<String, Integer> byProvider = new ConcurrentHashMap<>();
                Thread[] callers = new Thread[4];
                for (int t = 0; t < callers.length; t++) {
                    callers[t] = new Thread(() -> {
                        while (calling.get()) {
                            try {
                                String who = rest.getForObject("http://provider/slow", String.class);
                                byProvider.merge(who, 1, Integer::sum);
                            } catch (RuntimeException e) {
                                failures.incrementAndGet();
                                System.out.println("ProvidersAndConsumerIT: a call failed during the graceful shutdown: " + e);
                            }
                            calls.incrementAndGet();
                        }
                    });
                    callers[t].start();
                }
                Thread.sleep(1_000);
                p1.process().destroy(); // SIGTERM: Spring's shutdown hook closes the context
                assertThat(p1.process().waitFor(30, TimeUnit.SECONDS)).as("p1 stopped").isTrue();
                Thread.sleep(1_000);
                calling.set(false);
                for (Thread t : callers) {
                    t.join(10_000);
                }
                System.out.println("ProvidersAndConsumerIT: calls during the graceful shutdown: " + calls + " " + byProvider);
                String log = p1.log();
                assertThat(log).contains("Deregistered").contains("Commencing graceful shutdown");
                assertThat(log.indexOf("Deregistered")).as("deregistered before the web server's graceful shutdown began")
                        .isLessThan(log.indexOf("Commencing graceful shutdown"));
                assertThat(failures).as("calls failed while a provider shut down gracefully").hasValue(0);
                assertThat(byProvider).containsKeys("p1", "p3");
            }
        }
    }

    private static void awaitRegistered(Client admin, Set<String> ids, ProviderProcess... providers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Set<String> now = new TreeSet<>();
            admin.discovery().sync().listInstances(PROVIDER).instances().forEach(i -> now.add(i.id()));
            if (now.equals(ids)) {
                return;
            }
            for (ProviderProcess p : providers) {
                if (!p.process().isAlive()) {
                    throw new AssertionError(p.id() + " exited:\n" + p.log());
                }
            }
            Thread.sleep(200);
        }
        StringBuilder logs = new StringBuilder();
        for (ProviderProcess p : providers) {
            logs.append(p.id()).append(":\n").append(p.log()).append('\n');
        }
        throw new AssertionError("providers " + ids + " not registered in 90 s\n" + logs);
    }

    private static Rollout awaitRollout(Client admin, java.util.function.Predicate<Rollout> until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Rollout last = admin.config().sync().status(PROVIDER_CONFIG);
        while (!until.test(last)) {
            assertThat(System.nanoTime()).as("rollout %s", last).isLessThan(deadline);
            Thread.sleep(100);
            last = admin.config().sync().status(PROVIDER_CONFIG);
        }
        return last;
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void setStatus(String url, String status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/serviceregistry"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST /actuator/serviceregistry %s: %s", status, r.body()).isLessThan(300);
    }

    private static Map<String, String> providerUrls(Client admin) {
        Map<String, String> urls = new ConcurrentHashMap<>();
        for (ServiceInstance i : admin.discovery().sync().listInstances(PROVIDER).instances()) {
            urls.put(i.id(), "http://" + i.address());
        }
        return urls;
    }

    private void awaitProps(String url, String message, String mood, long since) throws Exception {
        String body = "";
        while (System.nanoTime() - since < TimeUnit.SECONDS.toNanos(15)) {
            body = http.send(HttpRequest.newBuilder(URI.create(url + "/props")).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains(message) && body.contains(mood)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(url + "/props still says " + body);
    }

    /**
     * Calls the providers until {@code quietMs} pass with every call answered by {@code survivor},
     * for at most {@code limitMs} and the quiet time after it; returns the ms from now to the last
     * call that failed or reached another provider.
     */
    private static long callUntilQuiet(RestTemplate rest, String survivor, long quietMs, long limitMs) {
        long start = System.nanoTime();
        AtomicLong lastBad = new AtomicLong(start);
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(limitMs + quietMs);
        while (System.nanoTime() - lastBad.get() < TimeUnit.MILLISECONDS.toNanos(quietMs) && System.nanoTime() < deadline) {
            try {
                if (!survivor.equals(rest.getForObject("http://provider/hello", String.class))) {
                    lastBad.set(System.nanoTime());
                }
            } catch (RuntimeException e) {
                lastBad.set(System.nanoTime());
            }
        }
        return (lastBad.get() - start) / 1_000_000;
    }
}
