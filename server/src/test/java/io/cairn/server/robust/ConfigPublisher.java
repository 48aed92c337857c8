package io.cairn.server.robust;

import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.Format;
import io.cairn.api.config.PublishRequest;
import io.cairn.api.config.PublishResponse;
import io.cairn.server.testing.CairnCluster;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A config publisher: it publishes new contents of a few configs of one group, as an operator
 * does, and records each publish the cluster acknowledged (the revision it says wrote it).
 */
final class ConfigPublisher {
    static final String NAMESPACE = "robust";
    static final String GROUP = "g";
    /** Where the group's current contents are stored: a data id follows. */
    static final String PREFIX = "/cairn/config/" + NAMESPACE + "/" + GROUP + "/";
    private static final int CONFIGS = 2;
    private static final long DEADLINE_MS = 2000;

    /** A publish the cluster acknowledged. */
    record Publish(String dataId, String content, long revision) {
    }

    private ConfigPublisher() {
    }

    static void createNamespace(ManagedChannel channel) {
        ConfigGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .createNamespace(CreateNamespaceRequest.newBuilder().setName(NAMESPACE).build());
    }

    static void run(int process, CairnCluster cluster, List<Publish> acked, AtomicBoolean stop) {
        Random random = new Random(process);
        try (MemberChannel channel = new MemberChannel(cluster, process)) {
            for (int n = 0; !stop.get(); n++) {
                String dataId = "c" + random.nextInt(CONFIGS);
                String content = "p" + process + "-" + n;
                try {
                    PublishResponse r = ConfigGrpc.newBlockingStub(channel.get())
                            .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                            .publish(PublishRequest.newBuilder().setKey(ConfigKey.newBuilder().setNamespace(NAMESPACE)
                                    .setGroup(GROUP).setDataId(dataId)).setContent(content).setFormat(Format.TEXT).build());
                    acked.add(new Publish(dataId, content, r.getConfig().getRevision()));
                } catch (StatusRuntimeException e) {
                    channel.next(); // not acknowledged, whether written or not: the listeners tell
                }
                try {
                    Thread.sleep(100 + random.nextInt(200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
