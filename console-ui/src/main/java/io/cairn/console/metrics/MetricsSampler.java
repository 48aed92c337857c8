package io.cairn.console.metrics;

import io.cairn.client.Cluster;
import io.cairn.console.ConsoleProperties;
import io.cairn.console.cluster.ClusterAccess;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads every member's /metrics at a fixed interval and keeps a window of points per member
 * for the dashboard's charts. The console samples, not the browser, so charts cover the last
 * hour even for someone who just opened the page.
 */
@Component
public class MetricsSampler {
    private static final Logger log = LoggerFactory.getLogger(MetricsSampler.class);

    /** One point of one member's charts. */
    public record Point(long atMillis, double requestsPerSecond, double p99Millis, double dbSizeBytes,
                        double watchers, double leases) {
    }

    private final ClusterAccess access;
    private final ConsoleProperties properties;
    private final Map<String, Deque<Point>> points = new ConcurrentHashMap<>();
    private final Map<String, MemberReading> lastReading = new ConcurrentHashMap<>();
    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    /** Member name to its /metrics URL; the given endpoints until a member list is known. */
    private volatile Map<String, String> targets = Map.of();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metrics-sampler");
        t.setDaemon(true);
        return t;
    });
    private HttpClient http;

    public MetricsSampler(ClusterAccess access, ConsoleProperties properties) {
        this.access = access;
        this.properties = properties;
    }

    @PostConstruct
    void start() throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
        if (properties.trustedCa() != null) {
            b.sslContext(MemberTls.context(properties.trustedCa(), properties.cert(), properties.key()));
        }
        http = b.build();
        Map<String, String> initial = new LinkedHashMap<>();
        properties.endpoints().forEach(url -> initial.put(URI.create(url).getAuthority(), url + "/metrics"));
        targets = initial;
        long every = properties.sampleInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /** Each member's points, oldest first, by member name. */
    public Map<String, List<Point>> series() {
        Map<String, List<Point>> copy = new LinkedHashMap<>();
        points.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            synchronized (e.getValue()) {
                copy.put(e.getKey(), new ArrayList<>(e.getValue()));
            }
        });
        return copy;
    }

    /** Members whose /metrics could not be read at the last sample, with the reason. */
    public Map<String, String> unreachable() {
        return Map.copyOf(unreachable);
    }

    /**
     * Samples these members from now on and forgets any other. The dashboard passes what the
     * signed-in person may read; the sampler's own client, without a user, may not be allowed to.
     */
    public void track(List<Cluster.Member> members) {
        Map<String, String> next = new LinkedHashMap<>();
        for (Cluster.Member m : members) {
            if (!m.clientUrls().isEmpty()) {
                next.put(m.name().isEmpty() ? Long.toHexString(m.id()) : m.name(), m.clientUrls().get(0) + "/metrics");
            }
        }
        if (next.isEmpty() || next.equals(targets)) {
            return;
        }
        targets = next;
        points.keySet().retainAll(next.keySet());
        lastReading.keySet().retainAll(next.keySet());
        unreachable.keySet().retainAll(next.keySet());
    }

    private void sampleQuietly() {
        try {
            track(access.anonymous().cluster().sync().list().members());
        } catch (RuntimeException e) {
            // with auth on the list needs a user: keep the members the dashboard last tracked
            log.debug("member list for sampling refused: {}", e.getMessage());
        }
        for (Map.Entry<String, String> t : targets.entrySet()) {
            try {
                String text = fetch(t.getValue());
                record(t.getKey(), MemberReading.of(System.currentTimeMillis(), PrometheusText.parse(text)));
                unreachable.remove(t.getKey());
            } catch (Exception e) {
                unreachable.put(t.getKey(), String.valueOf(e.getMessage()));
            }
        }
    }

    void record(String member, MemberReading reading) {
        if (!targets.containsKey(member)) {
            return; // removed from the cluster while its /metrics was being read
        }
        MemberReading earlier = lastReading.put(member, reading);
        if (earlier == null) {
            return;
        }
        Point p = new Point(reading.atMillis(), reading.requestsPerSecond(earlier), reading.p99Millis(earlier),
                reading.dbSizeBytes(), reading.watchers(), reading.leases());
        Deque<Point> q = points.computeIfAbsent(member, k -> new ArrayDeque<>());
        long oldest = reading.atMillis() - properties.sampleWindow().toMillis();
        synchronized (q) {
            q.addLast(p);
            while (!q.isEmpty() && q.peekFirst().atMillis() < oldest) {
                q.removeFirst();
            }
        }
    }

    private String fetch(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        return response.body();
    }
}
