package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairnctl service}: instances registered by cairnctl processes, looked up, updated,
 * watched, and one whose keep-alive process is killed with SIGKILL seen going within its TTL.
 */
@ExtendWith(OwnedProcesses.class)
class CairnctlServiceIT {
    /** What a lost instance may take beyond its TTL to be removed and told: expiry checks, the commit, the push. */
    private static final long EXPIRY_MARGIN_MS = 4000;

    @TempDir
    Path dir;

    private String ep;
    private Cairnctls cairnctl;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void registerLookUpUpdateWatchAndLoseAnInstance() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            ep = cairn.endpoint();
            cairnctl = new Cairnctls(ep, dir);
            Process watch = cairnctl.background("service watch orders", "watch.out");
            Process keeper = cairnctl.background("service register orders --host 127.0.0.1 --port 8081 --id a --ttl 3 --keep-alive",
                    "keeper.out");
            assertThat(cairnctl.awaitOutput("keeper.out", s -> s.endsWith("\n")))
                    .matches("instance a registered with lease [0-9a-f]{16} TTL\\(3s\\)\n");
            assertThat(cairnctl.ok("service register orders --host 127.0.0.1 --port 8082 --id b --ttl 600 --zone eu-1 --tag v2 "
                    + "--meta version=2.3.1 --meta owner=shop")).matches("instance b registered with lease [0-9a-f]{16} TTL\\(600s\\)\n");

            // lookups: one line per instance, in id order; filters; the services with their counts
            assertThat(cairnctl.ok("service get orders")).isEqualTo("a, 127.0.0.1:8081, UP, 100, -, [], {}\n"
                    + "b, 127.0.0.1:8082, UP, 100, eu-1, [v2], {owner=shop version=2.3.1}\n");
            assertThat(cairnctl.ok("service get orders --zone eu-1 --tag v2")).startsWith("b, ").hasLineCount(1);
            assertThat(cairnctl.ok("service get orders --meta version=1")).isEmpty();
            assertThat(cairnctl.ok("service list")).isEqualTo("orders, 2, 2\n");
            // the registry is plain keys: etcdctl sees the JSON
            assertThat(Etcdctl.run(ep, "etcdctl get /cairn/registry/default/orders/b --print-value-only").output())
                    .contains("\"host\":\"127.0.0.1\"", "\"port\":8082", "\"zone\":\"eu-1\"");

            cairnctl.awaitOutput("watch.out", s -> s.contains("ADDED a 127.0.0.1:8081 UP\n") && s.contains("ADDED b 127.0.0.1:8082 UP\n"));
            assertThat(cairnctl.ok("service update orders b --status out_of_service --weight 50"))
                    .isEqualTo("b, 127.0.0.1:8082, OUT_OF_SERVICE, 50, eu-1, [v2], {owner=shop version=2.3.1}\n");
            assertThat(cairnctl.ok("service get orders")).startsWith("a, ").hasLineCount(1);
            assertThat(cairnctl.ok("service get orders --all")).hasLineCount(2);
            assertThat(cairnctl.ok("service list")).isEqualTo("orders, 2, 1\n");
            cairnctl.awaitOutput("watch.out", s -> s.contains("UPDATED b 127.0.0.1:8082 OUT_OF_SERVICE\n"));

            // the keep-alive process dies without a word: its instance goes when its 3 s TTL runs out
            long killed = System.nanoTime();
            keeper.destroyForcibly().waitFor();
            cairnctl.awaitOutput("watch.out", s -> s.contains("REMOVED a 127.0.0.1:8081 UP\n"));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertThat(tookMs).as("removal after SIGKILL, ms").isLessThan(3000 + EXPIRY_MARGIN_MS);
            assertThat(cairnctl.ok("service get orders --all")).startsWith("b, ").hasLineCount(1);

            // json: the full records
            JsonObject got = JsonParser.parseString(cairnctl.ok("service get orders --all -w json")).getAsJsonObject();
            JsonArray instances = got.getAsJsonArray("instances");
            assertThat(instances).hasSize(1);
            JsonObject b = instances.get(0).getAsJsonObject();
            assertThat(b.get("id").getAsString()).isEqualTo("b");
            assertThat(b.get("port").getAsInt()).isEqualTo(8082);
            assertThat(b.get("status").getAsString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(b.getAsJsonObject("metadata").get("version").getAsString()).isEqualTo("2.3.1");
            assertThat(b.get("lease").getAsLong()).isPositive();
            assertThat(got.getAsJsonObject("header").get("revision").getAsLong()).isPositive();
            JsonObject listed = JsonParser.parseString(cairnctl.ok("service list -w json")).getAsJsonObject();
            assertThat(listed.getAsJsonArray("services").get(0).getAsJsonObject().get("instances").getAsInt()).isEqualTo(1);
            JsonObject registered = JsonParser.parseString(cairnctl.ok("service register db -n prod --host 127.0.0.1 --port "
                    + ep.substring(ep.lastIndexOf(':') + 1) + " --check tcp --interval 1s -w json")).getAsJsonObject();
            assertThat(registered.getAsJsonObject("instance").getAsJsonObject("check").has("tcp")).isTrue();
            assertThat(registered.getAsJsonObject("instance").get("lease").getAsLong()).isZero();

            // a service's settings: shown, changed one at a time, kept otherwise
            assertThat(cairnctl.ok("service settings db -n prod"))
                    .isEqualTo("protection-threshold: 0.0\nflap-damping: off\nmetadata: {}\n");
            assertThat(cairnctl.ok("service settings db -n prod --protection-threshold 0.5 --flap-changes 3 --flap-hold 2m"))
                    .isEqualTo("protection-threshold: 0.5\nflap-damping: over 3 changes in 60s, held until stable for 120s\n"
                            + "metadata: {}\n");
            assertThat(cairnctl.ok("service settings db -n prod --flap-window 30s"))
                    .contains("protection-threshold: 0.5\n", "over 3 changes in 30s, held until stable for 120s");
            JsonObject settings = JsonParser.parseString(cairnctl.ok("service settings db -n prod -w json")).getAsJsonObject();
            assertThat(settings.getAsJsonObject("flapDamping").get("holdMs").getAsLong()).isEqualTo(120_000);
            assertThat(settings.get("protectionThreshold").getAsDouble()).isEqualTo(0.5);
            assertThat(cairnctl.ok("service settings db -n prod --no-flap-damping"))
                    .contains("protection-threshold: 0.5\n", "flap-damping: off\n");

            // namespaces are apart (the check connects to the member's own port: db stays UP)
            assertThat(cairnctl.ok("service list -n prod")).isEqualTo("db, 1, 1\n");
            assertThat(cairnctl.ok("service get db")).isEmpty();

            // SIGTERM to a keep-alive registration deregisters it at once
            Process second = cairnctl.background("service register orders --host 127.0.0.1 --port 8083 --id c --ttl 30 --keep-alive",
                    "second.out");
            cairnctl.awaitOutput("second.out", s -> s.endsWith("\n"));
            cairnctl.awaitOutput("watch.out", s -> s.contains("ADDED c 127.0.0.1:8083 UP\n"));
            second.destroy();
            assertThat(second.waitFor(Cairnctls.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("second.out"))).endsWith("instance c deregistered\n");
            cairnctl.awaitOutput("watch.out", s -> s.contains("REMOVED c 127.0.0.1:8083 UP\n"));

            assertThat(cairnctl.ok("service deregister orders b")).isEqualTo("instance b deregistered\n");
            // the watch told each change once, in order
            assertThat(cairnctl.awaitOutput("watch.out", s -> s.contains("REMOVED b "))).isEqualTo("""
                    ADDED a 127.0.0.1:8081 UP
                    ADDED b 127.0.0.1:8082 UP
                    UPDATED b 127.0.0.1:8082 OUT_OF_SERVICE
                    REMOVED a 127.0.0.1:8081 UP
                    ADDED c 127.0.0.1:8083 UP
                    REMOVED c 127.0.0.1:8083 UP
                    REMOVED b 127.0.0.1:8082 OUT_OF_SERVICE
                    """);
            assertThat(cairnctl.ok("service list")).isEmpty();
            watch.destroy();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void badInputIsRefusedClearly() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            ep = cairn.endpoint();
            cairnctl = new Cairnctls(ep, dir);
            String[][] refused = {
                {"service register orders --host h --port 70000 --ttl 3", "Error: port 70000 is out of range (1 to 65535)"},
                {"service register orders --host h --port 80", "Error: register needs --ttl SECONDS"},
                {"service register 'bad name' --host h --port 80 --ttl 3", "Error: service \"bad name\" must be"},
                {"service register orders --host h --port 80 --ttl 0", "Error: --ttl is in seconds, at least 1: 0"},
                {"service register orders --host h --port 80 --check udp", "Error: unknown check \"udp\""},
                {"service register orders --host h --port 80 --check tcp --ttl 3", "Error: --check registers a persistent"},
                {"service update orders a --status SLEEPY", "Error: unknown status \"SLEEPY\" (UP, DOWN or OUT_OF_SERVICE)"},
                {"service update orders a", "Error: an update changes at least one of"},
                {"service get ''", "Error: service is empty"},
                {"service register orders --host h --port x --ttl 3", "Error: Invalid value for option '--port'"},
                {"service settings orders --flap-window 30s", "Error: --flap-changes turns flap damping on"},
                {"service settings orders --flap-changes 0", "Error: flap damping's changes must be 1 to 100, not 0"},
                {"service settings orders --protection-threshold 2", "Error: protection threshold 2.0 is out of range"},
                {"service settings orders --no-flap-damping --flap-changes 2", "Error: --no-flap-damping goes without"},
            };
            cairnctl.assertEachFails(Cairnctl.EXIT_BAD_ARGS, refused);
            Etcdctl.Result unknown = cairnctl.run("service update orders nobody --weight 5");
            assertThat(unknown.exit()).isEqualTo(Cairnctl.EXIT_ERROR);
            assertThat(unknown.output()).startsWith("Error: ").contains("not found");
            assertThat(cairnctl.ok("service list")).as("nothing was registered").isEmpty();
        }
    }
}
