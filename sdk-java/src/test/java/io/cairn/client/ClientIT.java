package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against one real member: KV, txn, watch, leases, locks, elections, auth. */
@ExtendWith(OwnedProcesses.class)
class ClientIT {
    @TempDir
    Path dir;

    private CairnProcess cairn;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "6").start();
        client = Client.builder().endpoints(cairn.advertisedClientUrl()).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        cairn.close();
    }

    @Test
    void keysValuesAndTxns() {
        Kv kv = client.kv();
        assertThat(kv.sync().put("/app/a", "1").header().revision()).isEqualTo(2);
        kv.sync().put(Put.key("/app/b", "2"));
        kv.sync().put("/other", "x");
        assertThat(kv.sync().get(Get.key("/app/").prefix()).kvs()).extracting(k -> k.value().toStringUtf8())
                .containsExactly("1", "2");
        assertThat(kv.sync().get(Get.key("/app/").prefix().countOnly()).count()).isEqualTo(2);
        assertThat(kv.sync().get(Get.key("/app/").prefix().limit(1)
                .sortBy(Get.SortTarget.KEY, Get.SortOrder.DESCEND)).first().key().toStringUtf8())
                .isEqualTo("/app/b");
        assertThat(kv.sync().get(Get.key("/app/a").revision(1)).kvs()).isEmpty();
        assertThat(kv.sync().put(Put.key("/app/a", "3").prevKv()).prevKv().value().toStringUtf8()).isEqualTo("1");

        var created = kv.txn().when(Cmp.version("/lock").eq(0)).then(Op.put(Put.key("/lock", "me")))
                .otherwise(Op.get(Get.key("/lock"))).commitSync();
        assertThat(created.succeeded()).isTrue();
        var again = kv.txn().when(Cmp.version("/lock").eq(0)).then(Op.put(Put.key("/lock", "you")))
                .otherwise(Op.get(Get.key("/lock"))).commitSync();
        assertThat(again.succeeded()).isFalse();
        assertThat(((GetResponse) again.responses().get(0)).first().valueString()).isEqualTo("me");
        TxnResponse deleted = kv.txn().when(Cmp.value("/lock").eq("me"))
                .then(Op.delete(Delete.key("/app/").prefix().prevKv())).commitSync();
        assertThat(((DeleteResponse) deleted.responses().get(0)).deleted()).isEqualTo(2);

        assertThatThrownBy(() -> kv.sync().put("", "x")).isInstanceOf(CairnException.class)
                .hasMessage("etcdserver: key is not provided");
        assertThatThrownBy(() -> kv.sync().get(Get.key("a").revision(1000))).isInstanceOf(CairnException.class)
                .hasMessageContaining("future revision");
    }

    @Test
    void closeEndsTheClientsNetworkThreads() throws InterruptedException {
        // a JVM waits up to 300 ms at exit for threads blocked in a selector: cairnctl's every command paid it
        try (Client other = Client.builder().endpoints(cairn.advertisedClientUrl()).build()) {
            other.kv().sync().put("/close", "1");
            assertThat(networkThreads()).isNotEmpty();
        }
        client.close();
        // an event loop reports its end just before its thread returns
        for (Thread t : networkThreads()) {
            t.join(2000);
        }
        assertThat(networkThreads()).isEmpty();
    }

    private static List<Thread> networkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("cairn-client-io")).toList();
    }

    @Test
    void watchDeliversInOrderAndReportsCompaction() throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try (Watch.Watcher w = client.watch().watch(WatchKey.key("/w/").prefix().prevKv(), events::addAll)) {
            awaitCreated(w);
            client.kv().sync().put("/w/a", "1");
            client.kv().sync().put("/w/a", "2");
            client.kv().sync().delete("/w/a");
            assertThat(take(events, 3)).extracting(e -> e.type() + ":" + e.kv().value().toStringUtf8()
                    + ":" + (e.prevKv() == null ? "" : e.prevKv().valueString())).containsExactly("PUT:1:", "PUT:2:1", "DELETE::2");
        }
        long current = client.kv().sync().get("x").header().revision();
        client.kv().sync().compact(current);
        CompletableFuture<Long> compacted = new CompletableFuture<>();
        client.watch().watch(WatchKey.key("/w/a").fromRevision(2), new Watch.Listener() {
            @Override
            public void onEvents(List<Event> e) {
            }

            @Override
            public void onCompacted(long compactRevision) {
                compacted.complete(compactRevision);
            }
        });
        assertThat(compacted.get(10, TimeUnit.SECONDS)).isEqualTo(current);
    }

    @Test
    void aKeptAliveLeaseOutlivesItsTtlAndEndsWhenNoLongerKept() throws Exception {
        long id = client.lease().sync().grant(2).id();
        client.kv().sync().put(Put.key("ephemeral", "v").lease(id));
        List<Long> renewals = new CopyOnWriteArrayList<>();
        try (Lease.KeepAlive k = client.lease().keepAlive(id, r -> renewals.add(r.ttl()))) {
            Thread.sleep(4500);
            assertThat(client.kv().sync().get("ephemeral").kvs()).hasSize(1);
            assertThat(renewals).isNotEmpty().allMatch(ttl -> ttl == 2);
            assertThat(client.lease().sync().keepAliveOnce(id).ttl()).isEqualTo(2);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.kv().sync().get("ephemeral").kvs().size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(client.kv().sync().get("ephemeral").kvs()).isEmpty();
        assertThat(client.lease().sync().timeToLive(id, false).ttl()).isEqualTo(-1);
        assertThat(client.lease().sync().keepAliveOnce(id).ttl()).as("a renewal of a lease that is gone").isLessThanOrEqualTo(0);
    }

    @Test
    void twoClientsContendForALockAndTheFencingTokenStopsTheStaleHolder() throws Exception {
        try (Client other = Client.builder().endpoints(cairn.advertisedClientUrl()).build()) {
            long mine = client.lease().sync().grant(30).id();
            long theirs = other.lease().sync().grant(30).id();
            Lock.Held held = client.lock().lockSync("job", mine);
            CompletableFuture<Lock.Held> waiting = other.lock().lock("job", theirs);
            Thread.sleep(300);
            assertThat(waiting).isNotDone();
            assertThat(guardedWrite(client, held, "first")).isTrue();

            // the holder's lease ends (it stalled past its TTL, say): the other client gets the lock
            client.lease().sync().revoke(mine);
            Lock.Held next = waiting.get(10, TimeUnit.SECONDS);
            assertThat(next.revision()).isGreaterThan(held.revision());
            assertThat(guardedWrite(client, held, "stale")).isFalse();
            assertThat(guardedWrite(other, next, "second")).isTrue();
            assertThat(client.kv().sync().get("/jobs/output").first().valueString()).isEqualTo("second");
            other.lock().unlockSync(next);
        }
    }

    @Test
    void aSessionHoldsALockUntilClosedAndSaysWhenItIsLost() throws Exception {
        try (Client other = Client.builder().endpoints(cairn.advertisedClientUrl()).build()) {
            Session first = client.session(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
            Lock.Held held = client.lock().lockSync("report", first);
            CompletableFuture<Lock.Held> waiting = other.lock().lock("report", other.session(Duration.ofSeconds(30)).join());
            Thread.sleep(4000); // twice the TTL: the session keeps its lease, so the lock stays held
            assertThat(waiting).isNotDone();
            assertThat(first.isLost()).isFalse();
            first.close(); // revokes the lease: the lock goes at once, not after a TTL
            assertThat(waiting.get(5, TimeUnit.SECONDS).revision()).isGreaterThan(held.revision());
            assertThat(client.lease().sync().timeToLive(first.leaseId(), false).exists()).isFalse();
            assertThat(first.lost()).as("closing is not losing").isNotDone();

            Session second = client.session(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            other.lease().sync().revoke(second.leaseId()); // someone else ends its lease
            second.lost().get(10, TimeUnit.SECONDS);
            assertThat(second.isLost()).isTrue();
            second.close();
        }
    }

    @Test
    void leadershipMovesWhenTheLeadersSessionDies() throws Exception {
        try (Client other = Client.builder().endpoints(cairn.advertisedClientUrl()).build()) {
            BlockingQueue<KeyValue> seen = new LinkedBlockingQueue<>();
            try (Election.Observer o = client.election().observe("primary", seen::add)) {
                long a = client.lease().sync().grant(2).id();
                Lease.KeepAlive session = client.lease().keepAlive(a);
                Election.Leadership leaderA = client.election().campaign("primary", a, "node-a").get(10, TimeUnit.SECONDS);
                assertThat(seen.poll(10, TimeUnit.SECONDS).valueString()).isEqualTo("node-a");
                long b = other.lease().sync().grant(30).id();
                CompletableFuture<Election.Leadership> campaignB = other.election().campaign("primary", b, "node-b");
                client.election().proclaim(leaderA, "node-a, v2").get(10, TimeUnit.SECONDS);
                assertThat(seen.poll(10, TimeUnit.SECONDS).valueString()).isEqualTo("node-a, v2");
                assertThat(campaignB).isNotDone();

                session.close(); // node A stops renewing: its lease ends within its TTL
                Election.Leadership leaderB = campaignB.get(15, TimeUnit.SECONDS);
                assertThat(seen.poll(10, TimeUnit.SECONDS).valueString()).isEqualTo("node-b");
                assertThat(client.election().leader("primary").get(10, TimeUnit.SECONDS).valueString())
                        .isEqualTo("node-b");
                assertThatThrownBy(() -> Calls.await(client.election().proclaim(leaderA, "too late")))
                        .hasMessage("election: not leader");
                other.election().resign(leaderB).get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> Calls.await(client.election().leader("primary"))).hasMessage("election: no leader");
            }
        }
    }

    @Test
    void aUserLogsInByItselfAndIsHeldToItsPermissions() throws Exception {
        for (String step : new String[] {"user add root --new-user-password=rootpw", "user add app --new-user-password=apppw",
                "role add app", "role grant-permission app --prefix readwrite /app/", "user grant-role app app", "auth enable"}) {
            assertThat(io.cairn.server.testing.Etcdctl.run(cairn.endpoint(), "etcdctl " + step).exit()).as(step).isZero();
        }
        try (Client app = Client.builder().endpoints(cairn.advertisedClientUrl()).user("app", "apppw").build();
             Client nobody = Client.builder().endpoints(cairn.advertisedClientUrl()).timeout(Duration.ofSeconds(3)).build();
             Client wrong = Client.builder().endpoints(cairn.advertisedClientUrl()).user("app", "nope").build()) {
            app.kv().sync().put("/app/x", "1");
            assertThat(app.kv().sync().get("/app/x").first().valueString()).isEqualTo("1");
            assertThatThrownBy(() -> app.kv().sync().put("/etc/x", "1")).hasMessage("etcdserver: permission denied");
            assertThatThrownBy(() -> nobody.kv().sync().get("/app/x")).hasMessage("etcdserver: user name is empty");
            assertThatThrownBy(() -> wrong.kv().sync().get("/app/x"))
                    .hasMessage("etcdserver: authentication failed, invalid user ID or password");
            CompletableFuture<CairnException> refused = new CompletableFuture<>();
            wrong.watch().watch(WatchKey.key("/app/x"), new Watch.Listener() {
                @Override
                public void onEvents(List<Event> events) {
                }

                @Override
                public void onError(CairnException error) {
                    refused.complete(error);
                }
            });
            assertThat(refused.get(10, TimeUnit.SECONDS)).as("a watcher with a wrong password is told, not left retrying")
                    .hasMessage("etcdserver: authentication failed, invalid user ID or password");
            // a password change makes the old token stale; the client logs in again by itself
            assertThat(io.cairn.server.testing.Etcdctl.run(cairn.endpoint(),
                    "etcdctl --user root:rootpw role grant-permission app read /shared").exit()).isZero();
            assertThat(app.kv().sync().get("/shared").kvs()).isEmpty();
        }
    }

    @Test
    void aWatcherAndAKeepAliveOutliveTheirTokenAcrossAMemberRestart() throws Exception {
        for (String step : new String[] {"user add root --new-user-password=rootpw", "auth enable"}) {
            assertThat(io.cairn.server.testing.Etcdctl.run(cairn.endpoint(), "etcdctl " + step).exit()).as(step).isZero();
        }
        try (Client root = Client.builder().endpoints(cairn.advertisedClientUrl()).user("root", "rootpw").build()) {
            BlockingQueue<Event> events = new LinkedBlockingQueue<>();
            Watch.Watcher w = root.watch().watch(WatchKey.key("/t"), events::addAll);
            awaitCreated(w);
            Session session = root.session(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
            // tokens live in the member's memory: after a restart the streams reopen with a stale one
            cairn.kill();
            cairn.start();
            assertThat(io.cairn.server.testing.Etcdctl.run(cairn.endpoint(), "etcdctl --user root:rootpw put /t again").exit())
                    .isZero();
            Event e = events.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("an event after the restart").isNotNull();
            assertThat(e.kv().valueString()).isEqualTo("again");
            Thread.sleep(12_000); // past the session's TTL: only renewals on the reopened stream keep it
            assertThat(session.isLost()).isFalse();
            assertThat(root.lease().sync().timeToLive(session.leaseId(), false).exists()).isTrue();
            session.close();
            w.close();
        }
    }

    private static boolean guardedWrite(Client c, Lock.Held held, String value) {
        return c.kv().txn().when(held.guard()).then(Op.put(Put.key("/jobs/output", value))).commitSync().succeeded();
    }

    private static void awaitCreated(Watch.Watcher w) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (w.nextRevision() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(w.nextRevision()).isPositive();
    }

    private static List<Event> take(BlockingQueue<Event> events, int n) throws InterruptedException {
        List<Event> got = new java.util.ArrayList<>();
        while (got.size() < n) {
            Event e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("event " + (got.size() + 1) + " of " + n).isNotNull();
            got.add(e);
        }
        return got;
    }
}
