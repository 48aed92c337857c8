package io.cairn.server.robust;

import io.cairn.server.testing.CairnCluster;
import io.grpc.ManagedChannel;

/** A client's connection to one member at a time; it moves to the next member when that one fails it. */
final class MemberChannel implements AutoCloseable {
    private final CairnCluster cluster;
    private int member;
    private ManagedChannel channel;

    MemberChannel(CairnCluster cluster, int first) {
        this.cluster = cluster;
        this.member = first % cluster.members().size();
        this.channel = cluster.member(member).channel();
    }

    ManagedChannel get() {
        return channel;
    }

    /** Drops this member's connection and connects to the next, after a short pause. */
    void next() {
        channel.shutdownNow();
        member = (member + 1) % cluster.members().size();
        channel = cluster.member(member).channel();
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
