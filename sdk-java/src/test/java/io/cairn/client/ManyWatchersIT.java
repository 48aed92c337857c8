package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand watchers of one client share one stream, and keep every revision exactly once
 * through a SIGKILL of the leader they were streaming from.
 */
@ExtendWith(OwnedProcesses.class)
class ManyWatchersIT {
    private static final int WATCHERS = 1000;
    private static final int KEYS = 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void aThousandWatchersShareOneStreamAndMissNothingWhenTheLeaderIsKilled() throws Exception {
        try (CairnCluster cluster = CairnCluster.start(dir, 3)) {
            CairnProcess leader = cluster.awaitLeader(10_000);
            List<String> endpoints = cluster.clientUrlsFrom(leader);
            try (Client pinned = Client.builder().endpoints(endpoints).loadBalancing("pick_first").build();
                 Client writer = Client.builder().endpoints(endpoints).build()) {
                // even watchers take the whole prefix, odd ones a single key
                List<List<Event>> seen = new ArrayList<>();
                List<Watch.Watcher> watchers = new ArrayList<>();
                for (int i = 0; i < WATCHERS; i++) {
                    List<Event> mine = new CopyOnWriteArrayList<>();
                    seen.add(mine);
                    WatchKey what = i % 2 == 0 ? WatchKey.key("/mw/").prefix() : WatchKey.key(key(i / 2));
                    watchers.add(pinned.watch().watch(what, mine::addAll));
                }
                awaitTrue("every watcher created", () -> watchers.stream().allMatch(w -> w.nextRevision() > 0));
                assertThat(streams(cluster.members())).as("watch streams open on the members").isEqualTo(1);

                long lastRevision = 0;
                for (int i = 0; i < 300; i++) {
                    if (i == 100) {
                        leader.kill();
                    }
                    try {
                        lastRevision = writer.kv().sync().put(key(i), "v" + i).header().revision();
                    } catch (CairnException e) {
                        // lost in the failover: not acknowledged; the watchers show whether it committed
                    }
                }
                // a prefix watcher has seen it all at the last revision; a key's watcher at its key's last write
                long last = writer.kv().sync().get("/mw/").header().revision();
                long[] caughtUp = new long[WATCHERS];
                for (int i = 0; i < WATCHERS; i++) {
                    caughtUp[i] = i % 2 == 0 ? last : writer.kv().sync().get(key(i / 2)).first().modRevision();
                }
                awaitTrue("every watcher's listener caught up", () -> behind(seen, caughtUp) == 0,
                        () -> "behind: " + behind(seen, caughtUp) + " of " + WATCHERS);
                assertThat(lastRevision).isPositive();

                List<Long> all = revisions(seen.get(0));
                assertThat(all).as("the first watcher's revisions, in order, once each").isSorted().doesNotHaveDuplicates();
                assertThat(all.get(all.size() - 1) - all.get(0) + 1).as("no gap: only this test writes under /mw/")
                        .isEqualTo(all.size());
                assertThat(all).hasSizeGreaterThan(250);
                for (int i = 0; i < WATCHERS; i++) {
                    String single = key(i / 2);
                    List<Event> expected = i % 2 == 0 ? seen.get(0)
                            : seen.get(0).stream().filter(e -> e.kv().keyString().equals(single)).toList();
                    assertThat(revisions(seen.get(i))).as("watcher " + i).isEqualTo(revisions(expected));
                }
                List<CairnProcess> alive = cluster.members().stream().filter(m -> m != leader).toList();
                awaitTrue("one stream on the survivors", () -> streams(alive) == 1);
                watchers.forEach(Watch.Watcher::close);
                awaitTrue("the streams' watchers gone", () -> watcherCount(alive) == 0);
            }
        }
    }

    /** Watchers whose listener has not yet been told the revision they should end at. */
    private static long behind(List<List<Event>> seen, long[] caughtUp) {
        return java.util.stream.IntStream.range(0, seen.size())
                .filter(i -> seen.get(i).isEmpty() || seen.get(i).get(seen.get(i).size() - 1).revision() < caughtUp[i]).count();
    }

    private static String key(int i) {
        return "/mw/k" + (i % KEYS);
    }

    private static List<Long> revisions(List<Event> events) {
        return events.stream().map(Event::revision).toList();
    }

    private static int streams(List<CairnProcess> members) {
        return members.stream().mapToInt(m -> metric(m, "cairn_watch_streams")).sum();
    }

    private static int watcherCount(List<CairnProcess> members) {
        return members.stream().mapToInt(m -> metric(m, "cairn_watchers")).sum();
    }

    private static int metric(CairnProcess member, String name) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(member.httpUrl() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(body);
            assertThat(m.find()).as(name + " in " + member.name() + "'s metrics").isTrue();
            return (int) Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        awaitTrue(what, condition, () -> "");
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition,
                                  java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within 30 s; " + state.get());
            }
            Thread.sleep(100);
        }
    }
}
