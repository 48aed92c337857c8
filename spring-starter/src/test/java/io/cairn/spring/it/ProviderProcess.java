package io.cairn.spring.it;

import io.cairn.server.testing.OwnedProcesses;
import io.cairn.spring.it.provider.ProviderApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@link ProviderApp} in its own JVM, as a service runs in production; its output goes to a log file. */
final class ProviderProcess {
    private final String id;
    private final Path log;
    private final Process process;

    private ProviderProcess(String id, Path log, Process process) {
        this.id = id;
        this.log = log;
        this.process = process;
    }

    static ProviderProcess start(String id, String endpoint, Path dir, String... extraArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve(id + ".log");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ProviderApp.class.getName(),
                "--spring.application.name=provider",
                "--server.port=0",
                "--spring.config.import=cairn:",
                "--spring.cloud.cairn.endpoints=" + endpoint,
                "--spring.cloud.cairn.config.snapshot-dir=" + dir.resolve("snapshots-" + id),
                "--spring.cloud.cairn.discovery.instance-id=" + id,
                "--spring.cloud.cairn.labels.instance=" + id,
                "--spring.cloud.cairn.discovery.host=127.0.0.1",
                "--spring.cloud.cairn.discovery.ttl=3s",
                "--management.endpoints.web.exposure.include=health,serviceregistry",
                "--management.endpoint.health.show-details=always",
                "--logging.level.io.cairn.spring=INFO",
                "--logging.level.org.springframework.boot.web.embedded.tomcat.GracefulShutdown=INFO"));
        cmd.addAll(List.of(extraArgs));
        Process p = OwnedProcesses.own(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start());
        return new ProviderProcess(id, log, p);
    }

    String id() {
        return id;
    }

    Process process() {
        return process;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
