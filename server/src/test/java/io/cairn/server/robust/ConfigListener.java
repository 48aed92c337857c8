package io.cairn.server.robust;

import io.cairn.api.config.ConfigEvent;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.ListenResponse;
import io.cairn.server.testing.CairnCluster;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A listener to {@link ConfigPublisher}'s group, as the SDK listens: on the next member it
 * resumes after the last revision it got to. What it is sent is kept for {@link ConfigListenCheck}.
 */
final class ConfigListener extends MemberStream {
    private final List<ConfigListenCheck.Response> heard = new ArrayList<>();
    /** Everything up to it was sent: where the next listen resumes (0: start afresh). */
    private volatile long revision;
    /** Whether this listen resumed (else it starts with the current versions), and got past its start. */
    private boolean resumed;
    private boolean ready;
    private int session;

    ConfigListener(String name, CairnCluster cluster, int firstMember) {
        super(name, cluster, firstMember);
        start();
    }

    @Override
    CompletableFuture<Void> open(ManagedChannel channel) {
        CompletableFuture<Void> broken = new CompletableFuture<>();
        long from;
        synchronized (heard) {
            session++;
            // every fourth listen starts afresh, with the current versions, as a new client does
            from = session % 4 == 0 ? 0 : revision;
            resumed = from > 0;
            ready = false;
        }
        ConfigGrpc.newStub(channel).listen(ListenRequest.newBuilder().setNamespace(ConfigPublisher.NAMESPACE)
                .setGroup(ConfigPublisher.GROUP).setRevision(from).build(), until(broken, this::record));
        return broken;
    }

    private void record(ListenResponse r) {
        List<ConfigListenCheck.Version> versions = new ArrayList<>();
        for (ConfigEvent e : r.getEventsList()) {
            versions.add(new ConfigListenCheck.Version(e.getConfig().getKey().getDataId(), e.getConfig().getVersion(),
                    e.getConfig().getRevision(), e.getConfig().getContent()));
        }
        synchronized (heard) {
            // a start comes in parts at the start's revision: only its last (ready) says all of it was sent
            boolean start = !resumed && !ready;
            ready |= r.getReady();
            long claimed = ready ? r.getHeader().getRevision() : 0;
            heard.add(new ConfigListenCheck.Response(session, start, versions, claimed));
            revision = Math.max(revision, claimed);
        }
    }

    @Override
    long progress() {
        return revision;
    }

    List<ConfigListenCheck.Response> heard() {
        synchronized (heard) {
            return List.copyOf(heard);
        }
    }
}
