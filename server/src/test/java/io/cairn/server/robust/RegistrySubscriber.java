package io.cairn.server.robust;

import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.InstanceChange;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.api.discovery.SubscribeRequest;
import io.cairn.api.discovery.SubscribeResponse;
import io.cairn.server.testing.CairnCluster;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A subscriber to {@link RegistryClient}'s service, as the SDK subscribes: on the next member it
 * resumes after the last revision it was told everything up to. What it is told is kept for
 * {@link SubscriptionCheck}.
 */
final class RegistrySubscriber extends MemberStream {
    private final List<SubscriptionCheck.Response> told = new ArrayList<>();
    private volatile long revision;

    RegistrySubscriber(String name, CairnCluster cluster, int firstMember) {
        super(name, cluster, firstMember);
        start();
    }

    @Override
    CompletableFuture<Void> open(ManagedChannel channel) {
        CompletableFuture<Void> broken = new CompletableFuture<>();
        RegistryGrpc.newStub(channel).subscribe(SubscribeRequest.newBuilder().setNamespace(RegistryClient.NAMESPACE)
                .setService(RegistryClient.SERVICE).setRevision(revision).build(), until(broken, this::record));
        return broken;
    }

    private void record(SubscribeResponse r) {
        Map<String, Long> full = null;
        if (r.getSnapshot()) {
            full = new HashMap<>();
            for (Instance i : r.getInstancesList()) {
                full.put(i.getId(), i.getRevision());
            }
        }
        List<SubscriptionCheck.Change> changes = new ArrayList<>();
        for (InstanceChange c : r.getChangesList()) {
            changes.add(new SubscriptionCheck.Change(SubscriptionCheck.Kind.valueOf(c.getType().name()),
                    c.getInstance().getId(), c.getRevision()));
        }
        synchronized (told) {
            told.add(new SubscriptionCheck.Response(full, changes, r.getRevision()));
        }
        revision = Math.max(revision, r.getRevision());
    }

    @Override
    long progress() {
        return revision;
    }

    List<SubscriptionCheck.Response> told() {
        synchronized (told) {
            return List.copyOf(told);
        }
    }
}
