package io.cairn.server.raft;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.Replicator;
import com.alipay.sofa.jraft.entity.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader: one line when a peer stops answering and one when it is back, instead of
 * the transport's error every half second while it is away.
 */
final class PeerHealthLog implements Replicator.ReplicatorStateListener {
    private static final Logger log = LoggerFactory.getLogger(PeerHealthLog.class);

    @Override
    public void onCreated(PeerId peer) {
    }

    @Override
    public void onError(PeerId peer, Status status) {
    }

    @Override
    public void onDestroyed(PeerId peer) {
    }

    @Override
    public void stateChanged(PeerId peer, ReplicatorState state) {
        if (state == ReplicatorState.OFFLINE) {
            log.warn("Peer {} is not answering", peer);
        } else if (state == ReplicatorState.ONLINE) {
            log.info("Peer {} is answering", peer);
        }
    }
}
