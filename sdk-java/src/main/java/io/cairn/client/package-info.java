/**
 * Cairn's Java client. It speaks etcd's v3 API, so it works against Cairn and etcd alike, and
 * its public API holds only its own types: no gRPC or protobuf import is ever needed.
 *
 * <p>Start with {@link io.cairn.client.Client#builder()}; one getter per service
 * ({@code kv()}, {@code watch()}, {@code lease()}, {@code lock()}, {@code election()},
 * {@code cluster()}, {@code maintenance()}, {@code auth()}, {@code discovery()}, {@code config()}; service
 * discovery's own types are in {@link io.cairn.client.discovery}, the config center's in
 * {@link io.cairn.client.config}). Every call answers a
 * {@link java.util.concurrent.CompletableFuture} completed on a client thread (do not block in
 * its callbacks), failed with a {@link io.cairn.client.CairnException} that carries etcd's error
 * text; the services have a {@code sync()} view that waits instead. A {@code Client} is
 * thread-safe: share one per cluster.
 *
 * <pre>{@code
 * try (Client client = Client.builder().endpoints("http://127.0.0.1:2379").build()) {
 *     client.kv().sync().put("/config/greeting", "hello");
 *     System.out.println(client.kv().sync().get("/config/greeting").first().valueString());
 *
 *     // every change under /config/, in order, until closed
 *     Watch.Watcher watcher = client.watch().watch(WatchKey.key("/config/").prefix(),
 *             events -> events.forEach(e -> System.out.println(e.type() + " " + e.kv().keyString())));
 *
 *     // a lock held through a session: released on close, or when the process dies
 *     try (Session session = client.session(Duration.ofSeconds(10)).join()) {
 *         Lock.Held held = client.lock().lockSync("/locks/report", session);
 *         // writes fenced by the lock's token go through only while it is held
 *         client.kv().txn().when(held.guard()).then(Op.put(Put.key("/report/owner", "me"))).commitSync();
 *         client.lock().unlockSync(held);
 *     }
 *     watcher.close();
 * }
 * }</pre>
 */
package io.cairn.client;
