package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Format;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.ProcessLines;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand listeners on one config, in four client processes, a fifth of them throwing on every
 * version and some slow: each gets every version of a burst, in order, once.
 */
@ExtendWith(OwnedProcesses.class)
class ConfigFanOutIT {
    private static final int PROCESSES = 4;
    private static final int PER_PROCESS = 250;
    private static final int BURST = 50;

    @Test
    void everyListenerGetsEveryVersionOfABurstInOrder() throws Exception {
        Path dir = Files.createTempDirectory("config-fan-out");
        ConfigKey key = new ConfigKey("default", "DEFAULT_GROUP", "burst.properties");
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
             Client client = Client.builder().endpoints(cairn.advertisedClientUrl()).build()) {
            client.config().sync().publish(key, "n=1\n", Format.PROPERTIES);
            List<Process> processes = new ArrayList<>();
            List<ProcessLines> outputs = new ArrayList<>();
            for (int p = 0; p < PROCESSES; p++) {
                Process process = startListeners(cairn.advertisedClientUrl(), key);
                processes.add(process);
                outputs.add(ProcessLines.of("listener process " + p, process));
            }
            for (ProcessLines out : outputs) {
                assertThat(out.until("READY", Duration.ofSeconds(60))).as("a listener process ready")
                        .last().isEqualTo("READY " + PER_PROCESS);
            }
            long started = System.nanoTime();
            for (int v = 2; v <= BURST + 1; v++) {
                client.config().sync().publish(key, "n=" + v + "\n", Format.PROPERTIES);
            }
            System.out.println("ConfigFanOutIT: " + BURST + " versions published in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms to " + PROCESSES * PER_PROCESS + " listeners");
            for (Process p : processes) {
                Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                in.write("CHECK " + (BURST + 1) + "\n");
                in.flush();
            }
            for (ProcessLines out : outputs) {
                List<String> report = out.until("DONE", Duration.ofSeconds(60));
                assertThat(report).as("every listener saw versions 1..%d in order", BURST + 1)
                        .noneMatch(line -> line.startsWith("BAD") || line.startsWith("Exception"));
            }
            System.out.println("ConfigFanOutIT: every listener saw every version, in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms from the first publish");
            for (Process p : processes) {
                OwnedProcesses.kill(p);
            }
        }
    }

    private static Process startListeners(String endpoint, ConfigKey key) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return OwnedProcesses.own(new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ListenerMain.class.getName(),
                endpoint, key.namespace(), key.group(), key.dataId(), String.valueOf(PER_PROCESS))
                .redirectErrorStream(true).start());
    }
}
