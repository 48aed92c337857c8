package io.cairn.console.metrics;

import io.cairn.client.Cluster;
import io.cairn.console.ConsoleProperties;
import io.cairn.console.cluster.ClusterAccess;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
            b.sslContext(trusting(properties.trustedCa()));
        }
        http = b.build();
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

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // the cluster is down or the member list refused: the charts keep their last points
            log.debug("metrics sample skipped: {}", e.getMessage());
        }
    }

    void sample() {
        List<Cluster.Member> members = access.anonymous().cluster().sync().list().members();
        for (Cluster.Member m : members) {
            if (m.clientUrls().isEmpty()) {
                continue;
            }
            String name = m.name().isEmpty() ? Long.toHexString(m.id()) : m.name();
            try {
                String text = fetch(m.clientUrls().get(0) + "/metrics");
                record(name, MemberReading.of(System.currentTimeMillis(), PrometheusText.parse(text)));
                unreachable.remove(name);
            } catch (Exception e) {
                unreachable.put(name, String.valueOf(e.getMessage()));
            }
        }
    }

    void record(String member, MemberReading reading) {
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

    private static SSLContext trusting(java.nio.file.Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
