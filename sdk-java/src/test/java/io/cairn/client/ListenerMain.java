package io.cairn.client;

import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.ConfigListener;
import io.cairn.client.config.ConfigSelection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A config-listening process for multi-process tests: one client, {@code count} listeners on one
 * config (every fifth throws after each version, every fiftieth is slow), prints READY once each
 * has its first version. Then, told "CHECK last" on its input, waits for every listener to reach
 * that version and prints one line per listener whose versions are not exactly 1..last in order,
 * then "DONE".
 *
 * <p>Arguments: endpoint, namespace, group, data id, count.
 */
public final class ListenerMain {
    private ListenerMain() {
    }

    public static void main(String[] args) throws Exception {
        ConfigKey key = new ConfigKey(args[1], args[2], args[3]);
        int count = Integer.parseInt(args[4]);
        try (Client client = Client.builder().endpoints(args[0]).build()) {
            List<List<Long>> seen = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                List<Long> versions = java.util.Collections.synchronizedList(new ArrayList<>());
                seen.add(versions);
                int index = i;
                client.config().listen(ConfigSelection.configs(key), new ConfigListener() {
                    @Override
                    public void onConfig(Config config) {
                        versions.add(config.version());
                        if (index % 50 == 0) {
                            sleep(20);
                        }
                        if (index % 5 == 0) {
                            throw new IllegalStateException("listener " + index + " throws, as some do");
                        }
                    }
                });
            }
            await(seen, 1, TimeUnit.SECONDS.toNanos(60));
            System.out.println("READY " + count);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            long last = Long.parseLong(line.split(" ")[1]);
            await(seen, last, TimeUnit.SECONDS.toNanos(60));
            for (int i = 0; i < count; i++) {
                List<Long> versions = new ArrayList<>(seen.get(i));
                List<Long> expected = new ArrayList<>();
                for (long v = 1; v <= last; v++) {
                    expected.add(v);
                }
                if (!versions.equals(expected)) {
                    System.out.println("BAD listener " + i + " saw " + versions);
                }
            }
            System.out.println("DONE");
            System.out.flush();
            while (in.read() >= 0) {
                Thread.onSpinWait();
            }
        }
    }

    private static void await(List<List<Long>> seen, long version, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (List<Long> versions : seen) {
            while ((versions.isEmpty() || versions.get(versions.size() - 1) < version) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
