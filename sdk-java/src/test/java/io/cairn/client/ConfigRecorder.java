package io.cairn.client;

import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A config listener for tests: records what it is told as "app.yaml:v3" (with "/snapshot" or
 * "/gray" after, and "/deleted" for a delete), "STALE:true", "ERROR:CODE:text", and keeps every
 * version told.
 */
class ConfigRecorder implements ConfigListener {
    final List<String> told = new CopyOnWriteArrayList<>();
    final List<Config> configs = new CopyOnWriteArrayList<>();

    /** One that records, then throws from every onConfig, as a buggy listener would. */
    static ConfigRecorder throwing() {
        return new ConfigRecorder() {
            @Override
            public void onConfig(Config c) {
                super.onConfig(c);
                throw new IllegalStateException("a listener's bug");
            }
        };
    }

    @Override
    public void onConfig(Config c) {
        configs.add(c);
        told.add(c.key().dataId() + ":v" + c.version() + (c.fromSnapshot() ? "/snapshot" : "") + (c.gray() ? "/gray" : "")
                + (c.deleted() ? "/deleted" : ""));
    }

    @Override
    public void onStale(boolean stale) {
        told.add("STALE:" + stale);
    }

    @Override
    public void onError(CairnException error) {
        told.add("ERROR:" + error.code() + ":" + error.getMessage());
    }

    /** The versions told, without the stale and error marks. */
    List<String> versions() {
        return told.stream().filter(t -> !t.startsWith("STALE") && !t.startsWith("ERROR")).toList();
    }

    /** Waits until {@code done} holds of what has been told. */
    void await(String what, Duration limit, Predicate<ConfigRecorder> done) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.test(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what + "; told " + told);
            }
            Thread.sleep(10);
        }
    }

    void awaitVersions(int count, Duration limit) throws InterruptedException {
        await(count + " versions", limit, r -> r.versions().size() >= count);
    }

    void awaitTold(String entry, Duration limit) throws InterruptedException {
        await(entry, limit, r -> r.told.contains(entry));
    }
}
