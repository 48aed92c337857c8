package io.cairn.server.e2e;

import static io.cairn.server.e2e.ConfigIT.key;
import static io.cairn.server.e2e.ConfigIT.publish;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.config.ConfigEvent;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.Format;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.HistoryRequest;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.config.ListenResponse;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Publishes and listens across a leader's SIGKILL, on three members. */
@ExtendWith(OwnedProcesses.class)
class ConfigClusterIT {
    private static final int LISTENERS_PER_MEMBER = 4;

    @TempDir
    Path dir;

    @Test
    void killingTheLeaderLosesNoAcknowledgedVersionAndNoListenerMissesOne() throws Exception {
        ConfigKey key = key("default", "g", "counter.properties");
        try (CairnCluster cluster = CairnCluster.start(dir, 3)) {
            CairnProcess leader = cluster.awaitLeader(10_000);
            List<ManagedChannel> channels = new ArrayList<>();
            for (CairnProcess m : cluster.members()) {
                channels.add(m.channel());
            }
            try {
                ConfigGrpc.newBlockingStub(channels.get(0)).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .publish(publish(key, "n=0\n", Format.PROPERTIES).build());
                List<Follower> listeners = new ArrayList<>();
                for (int i = 0; i < channels.size() * LISTENERS_PER_MEMBER; i++) {
                    listeners.add(new Follower(key, channels, i % channels.size()));
                }
                listeners.forEach(Follower::start);

                // publishers on the members that survive, each publish acknowledged or not
                List<CairnProcess> survivors = cluster.members().stream().filter(m -> m != leader).toList();
                Set<Long> acknowledged = new ConcurrentSkipListSet<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
                AtomicBoolean killed = new AtomicBoolean();
                int attempts = 0;
                while (System.nanoTime() < deadline) {
                    ManagedChannel via = channels.get(cluster.members().indexOf(survivors.get(attempts % survivors.size())));
                    attempts++;
                    try {
                        long v = ConfigGrpc.newBlockingStub(via).withDeadlineAfter(10, TimeUnit.SECONDS)
                                .publish(publish(key, "n=" + attempts + "\n", Format.PROPERTIES).build()).getConfig().getVersion();
                        acknowledged.add(v);
                    } catch (io.grpc.StatusRuntimeException e) {
                        // an election under way: unacknowledged, so it may or may not be there
                    }
                    if (attempts == 40 && killed.compareAndSet(false, true)) {
                        leader.kill();
                    }
                }
                assertThat(killed).isTrue();
                assertThat(acknowledged).hasSizeGreaterThan(40);
                ManagedChannel survivor = channels.get(cluster.members().indexOf(survivors.get(0)));
                long last = ConfigGrpc.newBlockingStub(survivor).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .get(GetRequest.newBuilder().setKey(key).build()).getConfig().getVersion();
                // versions are 1..last with none missing; every acknowledged one among them
                assertThat(acknowledged).allMatch(v -> v <= last);
                assertThat(ConfigGrpc.newBlockingStub(survivor).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .history(HistoryRequest.newBuilder().setKey(key).setPageSize(5).build()).getVersions(0).getVersion())
                        .isEqualTo(last);

                for (Follower f : listeners) {
                    f.awaitVersion(last, 30_000);
                }
                for (Follower f : listeners) {
                    f.stop();
                    List<Long> expected = new ArrayList<>();
                    for (long v = f.first(); v <= last; v++) {
                        expected.add(v);
                    }
                    assertThat(f.versions()).as("listener %d: every version once, in order", f.id).isEqualTo(expected);
                }
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        }
    }

    /** A listener that, when its stream breaks, resumes on the next member from the last revision it saw. */
    private static final class Follower {
        private static int next;
        final int id = next++;
        private final ConfigKey key;
        private final List<ManagedChannel> channels;
        private final List<Long> versions = Collections.synchronizedList(new ArrayList<>());
        private volatile int member;
        private volatile long revision;
        private volatile boolean stopped;
        private volatile io.grpc.Context.CancellableContext context;

        Follower(ConfigKey key, List<ManagedChannel> channels, int member) {
            this.key = key;
            this.channels = channels;
            this.member = member;
        }

        void start() {
            if (stopped) {
                return;
            }
            context = io.grpc.Context.current().withCancellation();
            context.run(() -> ConfigGrpc.newStub(channels.get(member)).listen(ListenRequest.newBuilder()
                    .setNamespace("default").addConfigs(key).setRevision(revision).build(), new StreamObserver<>() {
                        @Override
                        public void onNext(ListenResponse r) {
                            for (ConfigEvent e : r.getEventsList()) {
                                versions.add(e.getConfig().getVersion());
                            }
                            revision = Math.max(revision, r.getHeader().getRevision());
                        }

                        @Override
                        public void onError(Throwable t) {
                            member = (member + 1) % channels.size();
                            try {
                                Thread.sleep(200);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            start();
                        }

                        @Override
                        public void onCompleted() {
                            onError(new IllegalStateException("completed"));
                        }
                    }));
        }

        long first() {
            return versions.get(0);
        }

        List<Long> versions() {
            return new ArrayList<>(versions);
        }

        void awaitVersion(long version, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while ((versions.isEmpty() || versions.get(versions.size() - 1) < version) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        void stop() {
            stopped = true;
            context.cancel(null);
        }
    }
}
