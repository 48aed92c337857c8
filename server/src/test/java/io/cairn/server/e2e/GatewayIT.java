package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** curl against the HTTP/JSON gateway, as people script etcd: etcd's paths, JSON, and permissions. */
@ExtendWith(OwnedProcesses.class)
class GatewayIT {
    @TempDir
    Path dir;

    record Reply(int status, String body) {
    }

    @Test
    void kvLeaseAndAStreamingWatchSpeakEtcdsJson() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            String http = cairn.httpUrl();
            assertThat(post(http, "/v3/kv/put", "{\"key\":\"" + b64("foo") + "\",\"value\":\"" + b64("bar") + "\"}", null).body())
                    .matches("\\{\"header\":\\{\"cluster_id\":\"\\d+\",\"member_id\":\"\\d+\",\"revision\":\"2\",\"raft_term\":\"\\d+\"}}");
            assertThat(post(http, "/v3/kv/range", "{\"key\":\"" + b64("foo") + "\"}", null).body())
                    .contains("\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"YmFy\"}],\"count\":\"1\"");

            Path watchOut = dir.resolve("watch.out");
            Process watch = OwnedProcesses.own(new ProcessBuilder("curl", "-sN", "-X", "POST", http + "/v3/watch",
                    "-d", "{\"create_request\":{\"key\":\"" + b64("foo") + "\"}}")
                    .redirectOutput(watchOut.toFile()).redirectErrorStream(true).start());
            try {
                awaitContains(watchOut, "\"created\":true");
                post(http, "/v3/kv/put", "{\"key\":\"" + b64("foo") + "\",\"value\":\"" + b64("baz") + "\"}", null);
                post(http, "/v3/kv/deleterange", "{\"key\":\"" + b64("foo") + "\"}", null);
                awaitContains(watchOut, "\"type\":\"DELETE\"");
                List<String> lines = Files.readAllLines(watchOut);
                assertThat(lines).hasSize(3);
                assertThat(lines.get(1)).startsWith("{\"result\":{\"header\":").contains("\"value\":\"YmF6\"");
            } finally {
                watch.destroy();
                watch.waitFor(5, TimeUnit.SECONDS);
            }

            String txn = "{\"compare\":[{\"key\":\"" + b64("foo") + "\",\"target\":\"VERSION\",\"result\":\"EQUAL\",\"version\":\"0\"}],"
                    + "\"success\":[{\"request_put\":{\"key\":\"" + b64("foo") + "\",\"value\":\"" + b64("again") + "\"}}]}";
            assertThat(post(http, "/v3/kv/txn", txn, null).body()).contains("\"succeeded\":true");

            Reply grant = post(http, "/v3/lease/grant", "{\"TTL\":60}", null);
            String id = field(grant.body(), "ID");
            assertThat(post(http, "/v3/kv/put", "{\"key\":\"" + b64("l") + "\",\"lease\":\"" + id + "\"}", null).status()).isEqualTo(200);
            assertThat(post(http, "/v3/lease/keepalive", "{\"ID\":\"" + id + "\"}", null).body())
                    .startsWith("{\"result\":{").contains("\"TTL\":\"60\"");
            assertThat(post(http, "/v3/lease/timetolive", "{\"ID\":\"" + id + "\",\"keys\":true}", null).body())
                    .contains("\"grantedTTL\":\"60\"").contains("\"keys\":[\"" + b64("l") + "\"]");
            assertThat(post(http, "/v3/lease/leases", "{}", null).body()).contains("{\"ID\":\"" + id + "\"}");

            assertThat(post(http, "/v3/kv/put", "{\"key\":\"\"}", null))
                    .isEqualTo(new Reply(400, "{\"error\":\"etcdserver: key is not provided\",\"message\":\"etcdserver: key is not provided\",\"code\":3}"));
            assertThat(post(http, "/v3/kv/range", "{\"key\": nope", null).status()).isEqualTo(400);
            assertThat(post(http, "/v3/kv/nothing", "{}", null)).isEqualTo(new Reply(404, "Not Found\n"));
            assertThat(get(http, "/health", null)).isEqualTo(new Reply(200, "{\"health\":\"true\"}"));
            assertThat(get(http, "/version", null).body()).contains("\"etcdcluster\":\"3.4.0\"");
            assertThat(get(http, "/metrics", null).body()).contains("etcd_server_has_leader 1")
                    .contains("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Put\"");

            // the seed's v2 example: etcdctl v2 finds no v2 API here, as with etcd 3.4
            Etcdctl.Result v2 = Etcdctl.run(http, "ETCDCTL_API=2 etcdctl --endpoints " + http + " get /test/foo");
            assertThat(v2.output()).contains("response is invalid json. The endpoint is probably not valid etcd cluster endpoint");
        }
    }

    @Test
    void theGatewayEnforcesTheSamePermissionsAsGrpc() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            String http = cairn.httpUrl();
            post(http, "/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"rootpw\"}", null);
            post(http, "/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}", null);
            post(http, "/v3/auth/user/add", "{\"name\":\"alice\",\"password\":\"alicepw\"}", null);
            post(http, "/v3/auth/role/add", "{\"name\":\"app\"}", null);
            post(http, "/v3/auth/role/grant", "{\"name\":\"app\",\"perm\":{\"permType\":\"READWRITE\",\"key\":\""
                    + b64("/app/") + "\",\"range_end\":\"" + b64("/app0") + "\"}}", null);
            post(http, "/v3/auth/user/grant", "{\"user\":\"alice\",\"role\":\"app\"}", null);
            assertThat(post(http, "/v3/auth/enable", "{}", null).status()).isEqualTo(200);

            String token = field(post(http, "/v3/auth/authenticate", "{\"name\":\"alice\",\"password\":\"alicepw\"}", null).body(), "token");
            assertThat(post(http, "/v3/kv/put", "{\"key\":\"" + b64("/app/x") + "\",\"value\":\"" + b64("1") + "\"}", token).status())
                    .isEqualTo(200);
            assertThat(post(http, "/v3/kv/range", "{\"key\":\"" + b64("/app/x") + "\"}", token).body()).contains("\"count\":\"1\"");
            assertThat(post(http, "/v3/kv/put", "{\"key\":\"" + b64("/etc/x") + "\"}", token))
                    .isEqualTo(new Reply(403, "{\"error\":\"etcdserver: permission denied\",\"message\":\"etcdserver: permission denied\",\"code\":7}"));
            String txn = "{\"success\":[{\"request_put\":{\"key\":\"" + b64("/app/y") + "\"}}],"
                    + "\"failure\":[{\"request_range\":{\"key\":\"" + b64("/etc/x") + "\"}}]}";
            assertThat(post(http, "/v3/kv/txn", txn, token).status()).isEqualTo(403);
            assertThat(post(http, "/v3/kv/range", "{\"key\":\"" + b64("/app/x") + "\"}", null).body())
                    .contains("etcdserver: user name is empty");
            assertThat(post(http, "/v3/kv/range", "{\"key\":\"" + b64("/app/x") + "\"}", "bogus.token"))
                    .isEqualTo(new Reply(401, "{\"error\":\"etcdserver: invalid auth token\",\"message\":\"etcdserver: invalid auth token\",\"code\":16}"));
            assertThat(post(http, "/v3/auth/user/list", "{}", token).status()).isEqualTo(403);
            assertThat(post(http, "/v3/maintenance/status", "{}", null).status()).isEqualTo(400);
            assertThat(post(http, "/v3/auth/authenticate", "{\"name\":\"alice\",\"password\":\"wrong\"}", null).body())
                    .contains("authentication failed, invalid user ID or password");

            // without credentials: health and version, nothing else
            assertThat(get(http, "/health", null).status()).isEqualTo(200);
            assertThat(get(http, "/version", null).status()).isEqualTo(200);
            assertThat(get(http, "/metrics", null).status()).isEqualTo(400);
            assertThat(get(http, "/metrics", token).status()).isEqualTo(200);
            Reply watch = post(http, "/v3/watch", "{\"create_request\":{\"key\":\"" + b64("/etc/") + "\"}}", token);
            assertThat(watch.body()).contains("\"canceled\":true").contains("etcdserver: permission denied");
        }
    }

    /** etcd's Procfile: etcd's flags only, and each member serves gRPC and the gateway on its client port. */
    @Test
    void aClusterStartedWithEtcdsFlagsOnlyServesTheGatewayOnEachClientPort() throws Exception {
        Etcdctl.requireInstalled();
        try (CairnCluster cluster = CairnCluster.start(dir, 3)) {
            assertThat(cluster.member(0).command()).noneMatch(arg -> arg.startsWith("--listen-client-http"));
            for (CairnProcess m : cluster.members()) {
                assertThat(m.httpUrl()).isEqualTo(m.advertisedClientUrl());
                assertThat(get(m.httpUrl(), "/health", null)).isEqualTo(new Reply(200, "{\"health\":\"true\"}"));
                assertThat(Etcdctl.run(m.endpoint(), "etcdctl put from-" + m.name() + " x").output()).isEqualTo("OK\n");
            }
            post(cluster.member(0).httpUrl(), "/v3/kv/put", "{\"key\":\"" + b64("via-http") + "\",\"value\":\"" + b64("y") + "\"}", null);
            assertThat(Etcdctl.run(cluster.member(2).endpoint(), "etcdctl get --prefix '' --keys-only").output())
                    .isEqualTo("from-m0\n\nfrom-m1\n\nfrom-m2\n\nvia-http\n\n");
        }
    }

    /** With --listen-client-http-urls the gateway moves there and the client port is gRPC only, as in etcd. */
    @Test
    void theGatewayCanHaveItsOwnUrl() throws Exception {
        Etcdctl.requireInstalled();
        String own = null;
        CairnProcess started = null;
        for (int attempt = 1; started == null; attempt++) { // the member only re-chooses the ports it chose
            own = "http://127.0.0.1:" + CairnProcess.freePort();
            try {
                started = new CairnProcess(dir.resolve("data"), "--listen-client-http-urls", own).start();
            } catch (CairnProcess.PortClash clash) {
                if (attempt == 3) {
                    throw clash;
                }
                CairnProcess.deleteRecursively(dir.resolve("data"));
            }
        }
        try (CairnProcess cairn = started) {
            assertThat(cairn.httpUrl()).isEqualTo(own);
            assertThat(get(own, "/health", null)).as("health; the member printed:%n%s", cairn.log())
                    .isEqualTo(new Reply(200, "{\"health\":\"true\"}"));
            assertThat(noHttpAnswer(cairn.advertisedClientUrl() + "/health"))
                    .as("the client port speaks gRPC only").isTrue();
            assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl put k v").output()).isEqualTo("OK\n");
        }
    }

    /** True when curl gets no HTTP status line at all from {@code url} (the gRPC-only port). */
    private static boolean noHttpAnswer(String url) throws Exception {
        Process p = OwnedProcesses.own(new ProcessBuilder("curl", "-s", "-m", "5", "-o", "/dev/null", "-w",
                "%{http_code}", url).redirectErrorStream(true).start());
        String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return code.equals("000");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRegistrySpeaksJsonForClientsWithoutTheSdk() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            String http = cairn.httpUrl();
            Path subscribed = dir.resolve("subscribe.out");
            Process subscribe = OwnedProcesses.own(new ProcessBuilder("curl", "-sN", "-X", "POST", http + "/v1/registry/subscribe",
                    "-d", "{\"namespace\":\"prod\",\"service\":\"web\"}")
                    .redirectOutput(subscribed.toFile()).redirectErrorStream(true).start());
            try {
                awaitContains(subscribed, "\"snapshot\":true");
                Reply registered = post(http, "/v1/registry/register", "{\"instance\":{\"namespace\":\"prod\",\"service\":\"web\","
                        + "\"id\":\"w1\",\"host\":\"10.0.0.1\",\"port\":8080,\"zone\":\"z1\"},\"ttl\":\"30\"}", null);
                assertThat(registered.status()).isEqualTo(200);
                String lease = field(registered.body(), "lease");
                assertThat(post(http, "/v1/registry/heartbeat", "{\"ID\":\"" + lease + "\"}", null).body())
                        .contains("\"TTL\":\"30\"");
                assertThat(post(http, "/v1/registry/update", "{\"key\":{\"namespace\":\"prod\",\"service\":\"web\",\"id\":\"w1\"},"
                        + "\"weight\":7}", null).body()).contains("\"weight\":7");
                assertThat(post(http, "/v1/registry/instances", "{\"namespace\":\"prod\",\"service\":\"web\"}", null).body())
                        .contains("\"id\":\"w1\"", "\"host\":\"10.0.0.1\"", "\"status\":\"UP\"");
                assertThat(post(http, "/v1/registry/services", "{\"namespace\":\"prod\"}", null).body())
                        .contains("{\"name\":\"web\",\"instances\":1,\"healthy\":1}");
                assertThat(get(http, "/metrics", null).body()).contains("cairn_registry_instances 1.0",
                        "cairn_registry_healthy_instances 1.0", "cairn_registry_subscribers 1.0",
                        "cairn_registry_registrations_total 1.0", "cairn_registry_expirations_total 0.0");
                post(http, "/v3/lease/revoke", "{\"ID\":\"" + lease + "\"}", null);
                // the instance gauges are counted at most once a second
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String metrics = get(http, "/metrics", null).body();
                while (!metrics.contains("cairn_registry_instances 0.0") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    metrics = get(http, "/metrics", null).body();
                }
                assertThat(metrics).contains("cairn_registry_instances 0.0", "cairn_registry_expirations_total 1.0");
                post(http, "/v1/registry/register", "{\"instance\":{\"namespace\":\"prod\",\"service\":\"web\","
                        + "\"id\":\"w1\",\"host\":\"10.0.0.1\",\"port\":8080},\"ttl\":\"30\"}", null);
                assertThat(post(http, "/v1/registry/deregister", "{\"key\":{\"namespace\":\"prod\",\"service\":\"web\",\"id\":\"w1\"}}",
                        null).status()).isEqualTo(200);
                awaitContains(subscribed, "\"type\":\"REMOVED\"");
                assertThat(Files.readString(subscribed)).contains("\"type\":\"UPDATED\"");
                assertThat(post(http, "/v1/registry/register", "{\"instance\":{\"namespace\":\"prod\",\"service\":\"web\","
                        + "\"host\":\"h\",\"port\":70000},\"ttl\":\"30\"}", null))
                        .satisfies(r -> assertThat(r.status()).isEqualTo(400))
                        .satisfies(r -> assertThat(r.body()).contains("registry: invalid request: port 70000 is out of range"));
            } finally {
                subscribe.destroy();
                subscribe.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theConfigCenterSpeaksJsonAndStreamsAListen() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            String http = cairn.httpUrl();
            Path listened = dir.resolve("listen.out");
            Process listen = OwnedProcesses.own(new ProcessBuilder("curl", "-sN", "-X", "POST", http + "/v1/config/listen",
                    "-d", "{\"namespace\":\"default\",\"group\":\"web\"}")
                    .redirectOutput(listened.toFile()).redirectErrorStream(true).start());
            try {
                awaitContains(listened, "\"ready\":true");
                Reply published = post(http, "/v1/config/publish", "{\"key\":{\"group\":\"web\",\"dataId\":\"site.properties\"},"
                        + "\"content\":\"title=Cairn\\n\",\"format\":\"PROPERTIES\",\"mustNotExist\":true,\"comment\":\"from curl\"}", null);
                assertThat(published.status()).isEqualTo(200);
                assertThat(published.body()).contains("\"version\":\"1\"", "\"client_address\":\"127.0.0.1\"", "\"revision\":\"2\",\"raft_term\"");
                awaitContains(listened, "\"content\":\"title\\u003dCairn\\n\"");
                assertThat(post(http, "/v1/config/get", "{\"key\":{\"group\":\"web\",\"dataId\":\"site.properties\"}}", null).body())
                        .contains("\"content\":\"title\\u003dCairn\\n\"", "\"format\":\"PROPERTIES\"", "\"version\":\"1\"");
                assertThat(post(http, "/v1/config/publish", "{\"key\":{\"group\":\"web\",\"dataId\":\"site.properties\"},"
                        + "\"content\":\"a=1\",\"expectedVersion\":\"7\"}", null))
                        .satisfies(r -> assertThat(r.status()).isEqualTo(412))
                        .satisfies(r -> assertThat(r.body()).contains("config: version conflict: expected version 7, current is 1"));
                assertThat(get(http, "/metrics", null).body()).contains("cairn_config_listeners 1.0", "cairn_config_versions_total 1.0",
                        "cairn_config_push_seconds_count 1");
            } finally {
                listen.destroy();
                listen.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    private static Reply post(String base, String path, String body, String token) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-m", "10", "-w", "\n%{http_code}", "-X", "POST",
                base + path, "-d", body));
        return curl(cmd, token);
    }

    private static Reply get(String base, String path, String token) throws Exception {
        return curl(new ArrayList<>(List.of("curl", "-s", "-m", "10", "-w", "\n%{http_code}", base + path)), token);
    }

    /** A watch answers once and stays open: -m ends it, after which its output is complete. */
    private static Reply curl(List<String> cmd, String token) throws Exception {
        if (token != null) {
            cmd.addAll(List.of("-H", "Authorization: " + token));
        }
        if (cmd.contains("/v3/watch") || cmd.stream().anyMatch(c -> c.endsWith("/v3/watch"))) {
            cmd.set(cmd.indexOf("10"), "2");
        }
        Process p = OwnedProcesses.own(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            OwnedProcesses.kill(p);
            throw new AssertionError("curl did not finish in 20 s: " + cmd);
        }
        int cut = out.lastIndexOf('\n');
        String code = out.substring(cut + 1).trim();
        // curl writes 000 when no status line arrived (refused, reset, or timed out before
        // answering): that is a failure of the gateway, never a success
        if (cut < 0 || !code.matches("[1-5]\\d\\d")) {
            throw new AssertionError("no HTTP answer (curl status '" + code + "', exit " + p.exitValue() + ") to " + cmd
                    + "\n" + out);
        }
        return new Reply(Integer.parseInt(code), out.substring(0, cut));
    }

    private static void awaitContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(file).contains(text)) {
            assertThat(System.nanoTime()).as("waiting for " + text + " in " + Files.readString(file)).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
