package io.cairn.console.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.TestPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: bin/cairn-up runs a member and the console, and SIGTERM stops both. */
@ExtendWith(OwnedProcesses.class)
class CairnUpIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void startsAMemberAndTheConsoleAndStopsBoth() throws Exception {
        int client = TestPorts.next();
        int peer = TestPorts.next();
        int console = TestPorts.next();
        ProcessBuilder pb = new ProcessBuilder(List.of(CairnProcess.repoRoot().resolve("bin/cairn-up").toString(),
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + client, "--listen-peer-urls", "http://127.0.0.1:" + peer))
                .redirectErrorStream(true).redirectOutput(dir.resolve("up.log").toFile());
        pb.environment().put("CAIRN_CONSOLE_LISTEN", "127.0.0.1:" + console);
        Process up = OwnedProcesses.own(pb.start());
        try {
            awaitOk("http://127.0.0.1:" + client + "/health", up);
            awaitOk("http://127.0.0.1:" + console + "/", up);
            // the console found the member from its --listen-client-urls
            assertThat(Files.readString(dir.resolve("up.log"))).contains("console of the cluster at [http://127.0.0.1:" + client + "]");
            List<ProcessHandle> children = up.children().toList();
            assertThat(children).as("the member and the console, each its own process").hasSize(2);

            up.destroy(); // SIGTERM
            assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("bin/cairn-up ends").isTrue();
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("pid %s stopped with the command", child.pid()).isFalse();
            }
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    private void awaitOk(String url, Process up) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            if (!up.isAlive()) {
                // what the member and the console said is the only clue to why either ended
                throw new AssertionError("bin/cairn-up ended (exit " + up.exitValue() + ") while " + url
                        + " was starting; its output:\n" + Files.readString(dir.resolve("up.log")));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("%s answers within 90 s", url).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
