package io.cairn.console.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Periodic reads for views that refresh by themselves (the dashboard): the cluster is read on
 * these threads, never on the UI thread holding the session's lock, and the result is pushed
 * into the page. Pushes are not requests, so an open page does not keep an idle session alive.
 */
@Component
public class Background {
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "console-refresh");
        t.setDaemon(true);
        return t;
    });

    /**
     * Every {@code period} (first at once), reads with {@code read} and hands the result to
     * {@code show} in {@code ui}; {@code read} reports the cluster's errors in its result. Stops by
     * itself once the page is gone; cancel the result on detach.
     */
    public <T> ScheduledFuture<?> every(Duration period, UI ui, Supplier<T> read, Consumer<T> show) {
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        Runnable tick = () -> {
            try {
                T value = read.get();
                ui.access(() -> {
                    ScheduledFuture<?> task = self.get();
                    if (task == null || !task.isCancelled()) { // a read that ended after the page left shows nothing
                        show.accept(value);
                    }
                });
            } catch (UIDetachedException gone) {
                ScheduledFuture<?> task = self.get();
                if (task != null) {
                    task.cancel(false);
                }
            } catch (RuntimeException e) {
                // a read that failed unexpectedly: the next tick tries again (a throw would end them all)
                LoggerFactory.getLogger(Background.class).warn("console refresh failed: {}", e.toString());
            }
        };
        self.set(threads.scheduleWithFixedDelay(tick, 0, period.toMillis(), TimeUnit.MILLISECONDS));
        return self.get();
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }
}
