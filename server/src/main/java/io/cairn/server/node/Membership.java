package io.cairn.server.node;

import io.cairn.api.etcd.Member;
import io.cairn.server.command.ClusterBootstrap;
import io.cairn.server.membership.MemberStore;
import java.util.List;

/**
 * This member's view of who is in the cluster: the replicated member table once the first
 * leader has bootstrapped it; before that, for a new cluster, the same ids derived from the
 * flags. A member that joins an existing cluster learns its id from the table.
 */
final class Membership {
    private final MemberStore store;
    private final ClusterBootstrap initial;
    private final String selfPeerUrl;
    private final boolean newCluster;
    /** This member's id as the leader's member table gave it; 0 until asked (see {@link #learnId}). */
    private volatile long learnedId;

    Membership(MemberStore store, NodeConfig config) {
        this.store = store;
        this.initial = ClusterIdentity.bootstrap(config.initialCluster(), config.initialClusterToken());
        this.selfPeerUrl = config.advertisePeerUrl().toString();
        this.newCluster = config.initialClusterState().equals("new");
    }

    MemberStore store() {
        return store;
    }

    ClusterBootstrap initial() {
        return initial;
    }

    boolean bootstrapped() {
        return store.clusterId() != 0;
    }

    boolean newCluster() {
        return newCluster;
    }

    List<Member> members() {
        return bootstrapped() || !newCluster ? store.members() : initial.getMembersList();
    }

    long clusterId() {
        return bootstrapped() || !newCluster ? store.clusterId() : initial.getClusterId();
    }

    /** Whether this member is one of the members a new cluster starts with. */
    boolean initialMember() {
        return newCluster && initial.getMembersList().stream().anyMatch(m -> m.getPeerURLsList().contains(selfPeerUrl));
    }

    /**
     * This member's id, or 0 while it has not learned it: the one the leader gave it, else the
     * one its own table holds at its peer URL. Only the leader's is sure for a member added back
     * on its old address: while it replays the cluster's history its table lists its previous
     * incarnation there, then nothing, and its own id only at the end.
     */
    long localId() {
        long learned = learnedId;
        return learned != 0 ? learned : idOfPeerUrl(selfPeerUrl);
    }

    long learnedId() {
        return learnedId;
    }

    /** Takes the id the leader's member table holds at this member's peer URL. */
    void learnId(long id) {
        learnedId = id;
    }

    /** Whether this member's own table lists it under its id. */
    boolean listsSelf() {
        long learned = learnedId;
        return learned == 0 ? idOfPeerUrl(selfPeerUrl) != 0 : store.byId(learned).isPresent();
    }

    /** Whether this member is (as far as it knows) a raft learner. */
    boolean isLearner() {
        long id = localId();
        return id != 0 && members().stream().anyMatch(m -> m.getID() == id && m.getIsLearner());
    }

    String selfPeerUrl() {
        return selfPeerUrl;
    }

    /** The id of the member whose peer URL has this {@code host:port} (as raft names peers), or 0. */
    long idOfPeer(String hostPort) {
        for (Member m : members()) {
            for (String url : m.getPeerURLsList()) {
                if (hostPort(url).equals(hostPort)) {
                    return m.getID();
                }
            }
        }
        return 0;
    }

    static String hostPort(String url) {
        java.net.URI u = java.net.URI.create(url);
        return u.getHost() + ":" + u.getPort();
    }

    /** The id of the member reached at {@code peerUrl}, or 0. */
    long idOfPeerUrl(String peerUrl) {
        for (Member m : members()) {
            if (m.getPeerURLsList().contains(peerUrl)) {
                return m.getID();
            }
        }
        return 0;
    }
}
