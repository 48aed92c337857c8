package io.cairn.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.CairnException;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.spring.CairnLocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter's lock helper against a real member: threads of one application exclude each other, and a wait is bounded. */
@ExtendWith(OwnedProcesses.class)
class CairnLocksIT {
    @TempDir
    Path dir;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void oneHolderAtATimeAndABoundedWait() throws Exception {
        CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .run("--spring.application.name=jobs", "--spring.cloud.cairn.endpoints=" + cairn.advertisedClientUrl(),
                        "--spring.cloud.cairn.config.snapshot-dir=")) {
            CairnLocks locks = app.getBean(CairnLocks.class);
            AtomicInteger holding = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    runs.add(pool.submit(() -> {
                        locks.runLocked("report", Duration.ofSeconds(30), () -> {
                            most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            holding.decrementAndGet();
                        });
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
                assertThat(most).as("holders at once").hasValue(1);

                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Future<?> holder = pool.submit(() -> {
                    locks.runLocked("report", Duration.ofSeconds(5), () -> {
                        held.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    return null;
                });
                held.await();
                assertThatThrownBy(() -> locks.runLocked("report", Duration.ofMillis(300), () -> { }))
                        .isInstanceOf(CairnException.class)
                        .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(CairnException.Code.DEADLINE_EXCEEDED));
                release.countDown();
                holder.get();
                assertThat(locks.callLocked("report", Duration.ofSeconds(5), () -> "free again")).isEqualTo("free again");
            } finally {
                pool.shutdownNow();
            }
        }
        cairn.close();
    }
}
