package io.cairn.client;

import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.InstanceListener;
import io.cairn.client.discovery.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber for tests: it applies every change it is told to a list of its own, checking
 * that each one makes sense there (an addition of something new, a removal of something held),
 * and records them as "ADDED:id", "UPDATED:id:STATUS", "REMOVED:id", "STALE:true" for waiting on.
 */
final class RecordingListener implements InstanceListener {
    private final BlockingQueue<String> told = new LinkedBlockingQueue<>();
    private final Map<String, ServiceInstance> mine = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private volatile int updates;

    @Override
    public synchronized void onUpdate(List<ServiceInstance> instances, List<InstanceChange> changes) {
        updates++;
        for (InstanceChange c : changes) {
            String id = c.instance().id();
            switch (c.type()) {
                case ADDED -> {
                    if (mine.put(id, c.instance()) != null) {
                        problems.add("ADDED twice: " + id);
                    }
                    told.add("ADDED:" + id);
                }
                case UPDATED -> {
                    if (mine.put(id, c.instance()) == null) {
                        problems.add("UPDATED before ADDED: " + id);
                    }
                    told.add("UPDATED:" + id + ":" + c.instance().status());
                }
                case REMOVED -> {
                    if (mine.remove(id) == null) {
                        problems.add("REMOVED what was not there: " + id);
                    }
                    told.add("REMOVED:" + id);
                }
            }
        }
        if (!List.copyOf(mine.values()).equals(instances)) {
            problems.add("the changes do not add up to the list told: " + mine.keySet() + " vs "
                    + instances.stream().map(ServiceInstance::id).toList());
        }
    }

    @Override
    public void onStale(boolean stale) {
        told.add("STALE:" + stale);
    }

    @Override
    public void onError(CairnException error) {
        told.add("ERROR:" + error.getMessage());
    }

    /** Everything told and not yet taken, at once. */
    List<String> drain() {
        List<String> all = new ArrayList<>();
        told.drainTo(all);
        return all;
    }

    /** How many times onUpdate was called. */
    int updates() {
        return updates;
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    synchronized List<String> ids() {
        return List.copyOf(mine.keySet());
    }

    /** The next thing told, waiting up to {@code limit}; null when nothing came. */
    String next(Duration limit) throws InterruptedException {
        return told.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next {@code n} things told, waiting up to 20 s for each. */
    List<String> next(int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            String s = next(Duration.ofSeconds(20));
            if (s == null) {
                throw new AssertionError("told only " + got + ", expected " + n + " things");
            }
            got.add(s);
        }
        return got;
    }

    /** Waits until {@code expected} is told, skipping whatever comes before; answers what was skipped. */
    List<String> awaitTold(String expected, Duration limit) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String s = told.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
            if (expected.equals(s)) {
                return skipped;
            }
            if (s != null) {
                skipped.add(s);
            }
        }
        throw new AssertionError("not told " + expected + " within " + limit + "; told " + skipped);
    }
}
