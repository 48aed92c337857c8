/**
 * etcd's watch: watchers fed from each applied batch when in step with the store, caught up
 * from the revision history when they start in the past or fall behind.
 */
package io.cairn.server.watch;
