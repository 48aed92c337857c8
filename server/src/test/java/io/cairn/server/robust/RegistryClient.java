package io.cairn.server.robust;

import io.cairn.api.discovery.DeregisterRequest;
import io.cairn.api.discovery.Instance;
import io.cairn.api.discovery.InstanceKey;
import io.cairn.api.discovery.RegisterRequest;
import io.cairn.api.discovery.RegistryGrpc;
import io.cairn.api.discovery.UpdateRequest;
import io.cairn.server.testing.CairnCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A registry client: it registers a few instances of one service with short TTLs (left to
 * expire), updates and deregisters them, so that the service's subscribers have every kind of
 * change to be told of.
 */
final class RegistryClient {
    static final String NAMESPACE = "robust";
    static final String SERVICE = "svc";
    /** Where the service's instances are stored. */
    static final String PREFIX = "/cairn/registry/" + NAMESPACE + "/" + SERVICE + "/";
    private static final int IDS = 6;
    private static final long DEADLINE_MS = 2000;

    private RegistryClient() {
    }

    static void run(int process, CairnCluster cluster, AtomicBoolean stop) {
        Random random = new Random(process);
        try (MemberChannel channel = new MemberChannel(cluster, process)) {
            while (!stop.get()) {
                String id = "p" + process + "-" + random.nextInt(IDS);
                InstanceKey key = InstanceKey.newBuilder().setNamespace(NAMESPACE).setService(SERVICE).setId(id).build();
                RegistryGrpc.RegistryBlockingStub registry = RegistryGrpc.newBlockingStub(channel.get())
                        .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
                try {
                    switch (random.nextInt(4)) {
                        case 0, 1 -> registry.register(RegisterRequest.newBuilder().setInstance(Instance.newBuilder()
                                        .setNamespace(NAMESPACE).setService(SERVICE).setId(id).setHost("127.0.0.1")
                                        .setPort(1024 + random.nextInt(1000)))
                                .setTtl(2 + random.nextInt(3)).build());
                        case 2 -> registry.update(UpdateRequest.newBuilder().setKey(key).setWeight(random.nextInt(200)).build());
                        default -> registry.deregister(DeregisterRequest.newBuilder().setKey(key).build());
                    }
                } catch (StatusRuntimeException e) {
                    Status.Code code = e.getStatus().getCode();
                    if (code != Status.Code.NOT_FOUND && code != Status.Code.ABORTED) {
                        channel.next(); // gone, expired or changed meanwhile are answers; anything else, another member
                    }
                }
                try {
                    Thread.sleep(50 + random.nextInt(100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
