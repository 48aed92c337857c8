package io.cairn.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.Client;
import io.cairn.client.Event;
import io.cairn.client.WatchKey;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Format;
import io.cairn.client.config.GrayRules;
import io.cairn.client.discovery.ServiceInstance;
import io.cairn.client.discovery.ServiceKey;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sample, run from its built jar against a real member, doing what its README says:
 * providers share the load and a killed one is skipped, the gateway routes by name, a
 * published config (and a gray release) reaches the running services, one scheduler leads at a
 * time and a paused leader's late write is refused, and the plain-Java tour completes.
 */
@ExtendWith(OwnedProcesses.class)
class SamplesIT {
    private static final ConfigKey CONFIG_APP = ConfigKey.of("config-app");
    private static final String STARTED = "Started ";
    private static final String ELECTION = "samples/scheduler";
    private static final String LAST_RUN = "/samples/scheduler/last-run";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everySampleDoesWhatItSays() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        String endpoint = cairn.advertisedClientUrl();
        Map<String, String> base = Map.of("CAIRN_ENDPOINTS", endpoint, "SPRING_CLOUD_CAIRN_DISCOVERY_TTL", "3s",
                "SPRING_CLOUD_CAIRN_CONFIG_SNAPSHOTDIR", dir.resolve("snapshots").toString());
        try (Client admin = Client.builder().endpoints(endpoint).build()) {
            admin.config().sync().publish(CONFIG_APP, "shop.greeting=hello\nshop.discount=5\nshop.banner=spring sale\n", Format.PROPERTIES);
            int consumerPort = CairnProcess.freePort();
            int gatewayPort = CairnProcess.freePort();
            SampleProcess provider1 = SampleProcess.boot("provider", "provider-1", dir, with(base, "PORT", "0",
                    "SPRING_CLOUD_CAIRN_DISCOVERY_INSTANCEID", "provider-1"));
            SampleProcess provider2 = SampleProcess.boot("provider", "provider-2", dir, with(base, "PORT", "0",
                    "SPRING_CLOUD_CAIRN_DISCOVERY_INSTANCEID", "provider-2"));
            SampleProcess consumer = SampleProcess.boot("consumer", "consumer", dir, with(base, "PORT", "" + consumerPort));
            SampleProcess gateway = SampleProcess.boot("gateway", "gateway", dir, with(base, "PORT", "" + gatewayPort));
            SampleProcess configA = SampleProcess.boot("config-app", "config-app-a", dir, with(base, "INSTANCE", "a"));
            SampleProcess configB = SampleProcess.boot("config-app", "config-app-b", dir, with(base, "INSTANCE", "b"));
            for (SampleProcess p : new SampleProcess[] {provider1, provider2, consumer, gateway, configA, configB}) {
                p.awaitLog(STARTED, 120);
            }
            awaitInstances(admin, "provider", Set.of("provider-1", "provider-2"));

            // provider and consumer: the load is shared
            String consumerUrl = "http://127.0.0.1:" + consumerPort;
            String calls = get(consumerUrl + "/call?times=20");
            assertThat(calls).contains("hello from provider-1").contains("hello from provider-2").doesNotContain("failed");

            // the gateway routes lb://provider
            String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
            Set<String> routed = new TreeSet<>();
            for (int i = 0; i < 10; i++) {
                routed.add(get(gatewayUrl + "/provider/hello"));
            }
            assertThat(routed).containsExactly("hello from provider-1", "hello from provider-2");

            // config-app: a publish reaches both instances' beans; a gray release only the one it names
            Map<String, String> configUrls = urls(admin, "config-app");
            assertThat(configUrls).hasSize(2);
            for (String url : configUrls.values()) {
                awaitBody(url + "/config", b -> b.contains("\"discount\":5") && b.contains("spring sale"));
            }
            admin.config().sync().publish(CONFIG_APP, "shop.greeting=hi\nshop.discount=10\nshop.banner=summer sale\n", Format.PROPERTIES);
            for (String url : configUrls.values()) {
                awaitBody(url + "/config", b -> b.contains("\"discount\":10") && b.contains("summer sale") && b.contains("\"greeting\":\"hi\""));
            }
            admin.config().sync().startGray(CONFIG_APP, "shop.greeting=hi\nshop.discount=20\nshop.banner=summer sale\n",
                    GrayRules.labels(Map.of("instance", "b")));
            String urlB = instanceUrl(configB);
            String urlA = configUrls.values().stream().filter(u -> !u.equals(urlB)).findFirst().orElseThrow();
            awaitBody(urlB + "/config", b -> b.contains("\"discount\":20"));
            long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < quiet) {
                assertThat(get(urlA + "/config")).as("the instance the gray release does not name").contains("\"discount\":10");
                Thread.sleep(100);
            }
            admin.config().sync().abortGray(CONFIG_APP, "not yet");
            awaitBody(urlB + "/config", b -> b.contains("\"discount\":10"));

            // a killed provider is no longer called, through the consumer or the gateway
            OwnedProcesses.kill(provider2.process());
            awaitBody(consumerUrl + "/call?times=10", b -> b.equals("{\"hello from provider-1\":10}"));
            awaitBody(gatewayUrl + "/provider/hello", b -> b.equals("hello from provider-1"));
            for (int i = 0; i < 5; i++) {
                assertThat(get(gatewayUrl + "/provider/hello")).isEqualTo("hello from provider-1");
            }

            // scheduler: one leader at a time; a paused leader's late write is refused
            SampleProcess scheduler1 = SampleProcess.boot("scheduler", "scheduler-1", dir, with(base, "INSTANCE", "s1"));
            SampleProcess scheduler2 = SampleProcess.boot("scheduler", "scheduler-2", dir, with(base, "INSTANCE", "s2"));
            scheduler1.awaitLog(STARTED, 120);
            scheduler2.awaitLog(STARTED, 120);
            awaitValue(admin, LAST_RUN, v -> v.contains(" run 2"));
            String leaderId = admin.election().leader(ELECTION).get(10, TimeUnit.SECONDS).value().toStringUtf8();
            SampleProcess leader = leaderId.equals("s1") ? scheduler1 : scheduler2;
            SampleProcess follower = leader == scheduler1 ? scheduler2 : scheduler1;
            String followerId = leader == scheduler1 ? "s2" : "s1";
            leader.signal("STOP"); // frozen past its session's TTL, as by a long pause
            int logBeforeWaking;
            try {
                awaitValue(admin, LAST_RUN, v -> v.startsWith(followerId + " ") && v.contains(" run 2"));
            } finally {
                logBeforeWaking = leader.log().length();
                leader.signal("CONT");
            }
            long fencedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!leader.log().substring(logBeforeWaking).contains("FENCED " + leaderId) && System.nanoTime() < fencedBy) {
                Thread.sleep(100);
            }
            assertThat(leader.log().substring(logBeforeWaking)).as("the woken leader's late write").contains("FENCED " + leaderId);
            // every run ever written, in order: each by a leader whose election key is no older than the one before
            List<String> runs = history(admin, LAST_RUN);
            long electedBefore = 0;
            for (String run : runs) {
                long elected = Long.parseLong(run.replaceAll(".* \\(key (\\d+)\\) run .*", "$1"));
                assertThat(elected).as("runs %s", runs).isGreaterThanOrEqualTo(electedBefore);
                electedBefore = elected;
            }
            assertThat(runs.get(runs.size() - 1)).as("the new leader's work stands").startsWith(followerId + " ");

            // plain Java: register, look up, watch a config, lock
            Path plain = SampleProcess.samplesDir().resolve("plain-java").resolve("target");
            SampleProcess tour = SampleProcess.start("plain-java", dir, base, "-cp",
                    plain.resolve("classes") + ":" + plain.resolve("lib") + "/*", "io.cairn.samples.plain.PlainJava");
            assertThat(tour.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(tour.process().exitValue()).as(tour.log()).isZero();
            assertThat(tour.log()).contains("REGISTERED plain-1").contains("LOOKUP plain-java: plain-1 at 127.0.0.1:9000")
                    .contains("CONFIG default/DEFAULT_GROUP/plain-java.properties version 1: greeting=hello at ").contains("LOCKED plain-java")
                    .contains("UNLOCKED plain-java");
        }
    }

    /** Waits until the key's value passes {@code ok}. */
    private static void awaitValue(Client admin, String key, Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String value = "";
        while (System.nanoTime() < deadline) {
            var kvs = admin.kv().sync().get(key).kvs();
            value = kvs.isEmpty() ? "" : kvs.get(0).value().toStringUtf8();
            if (ok.test(value)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(key + " is still " + value);
    }

    /** Every value the key has had, oldest first, from a watch of its whole history. */
    private static List<String> history(Client admin, String key) throws Exception {
        long now = admin.kv().sync().get(key).header().revision();
        List<String> values = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch caughtUp = new java.util.concurrent.CountDownLatch(1);
        try (var watcher = admin.watch().watch(WatchKey.key(key).fromRevision(1), events -> {
            for (Event e : events) {
                values.add(e.kv().value().toStringUtf8());
                if (e.kv().modRevision() >= now) {
                    caughtUp.countDown();
                }
            }
        })) {
            assertThat(caughtUp.await(10, TimeUnit.SECONDS)).isTrue();
        }
        return values;
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> env = new java.util.HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitBody(String url, Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get(url);
            if (ok.test(body)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " still answers " + body);
    }

    private static void awaitInstances(Client admin, String service, Set<String> ids) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Set<String> now = Set.of();
        while (System.nanoTime() < deadline) {
            now = new TreeSet<>();
            for (ServiceInstance i : admin.discovery().sync().listInstances(ServiceKey.of(service)).instances()) {
                now.add(i.id());
            }
            if (now.equals(ids)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(service + " has " + now + ", not " + ids);
    }

    private static Map<String, String> urls(Client admin, String service) {
        Map<String, String> urls = new java.util.TreeMap<>();
        for (ServiceInstance i : admin.discovery().sync().listInstances(ServiceKey.of(service)).instances()) {
            urls.put(i.id(), "http://" + i.address());
        }
        return urls;
    }

    /** The URL of the instance that process registered: its log names the port its web server took. */
    private static String instanceUrl(SampleProcess process) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Tomcat started on port (\\d+)").matcher(process.log());
        assertThat(m.find()).as(process.log()).isTrue();
        return "http://127.0.0.1:" + m.group(1);
    }
}
