/** The MVCC keyspace: etcd's revisions, generations, tombstones and compaction over the LMDB backend. */
package io.cairn.server.storage.mvcc;
