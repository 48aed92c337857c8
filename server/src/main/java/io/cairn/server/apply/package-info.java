/**
 * The appliers: etcd's request semantics over the keyspace, shared by the raft apply path and
 * the local read path, plus the checks that keep invalid requests out of the raft log.
 */
package io.cairn.server.apply;
