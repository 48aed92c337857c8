/**
 * Cairn's Java client. It speaks etcd's v3 API, so it works against Cairn and etcd alike:
 * {@link io.cairn.client.Client#builder()} to start; every call answers a
 * {@link java.util.concurrent.CompletableFuture}, and each facade has a {@code sync()} view
 * that waits for it.
 */
package io.cairn.client;
