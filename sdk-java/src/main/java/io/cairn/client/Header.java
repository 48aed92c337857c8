package io.cairn.client;

/**
 * What every answer carries about the member that gave it.
 *
 * @param clusterId the cluster's id
 * @param memberId  the answering member's id
 * @param revision  the store's revision when the answer was made (0 where etcd sends none, as
 *                  in cluster calls)
 * @param raftTerm  the raft term the member was in
 */
public record Header(long clusterId, long memberId, long revision, long raftTerm) {
}
