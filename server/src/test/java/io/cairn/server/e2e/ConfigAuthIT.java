package io.cairn.server.e2e;

import static io.cairn.server.e2e.ConfigIT.assertError;
import static io.cairn.server.e2e.ConfigIT.key;
import static io.cairn.server.e2e.ConfigIT.publish;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.config.AuditRequest;
import io.cairn.api.config.ConfigGrpc;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.DescribeNamespaceRequest;
import io.cairn.api.config.Format;
import io.cairn.api.config.GetRequest;
import io.cairn.api.config.HistoryRequest;
import io.cairn.api.config.ListRequest;
import io.cairn.api.config.ListenRequest;
import io.cairn.api.etcd.AuthGrpc;
import io.cairn.api.etcd.AuthenticateRequest;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-namespace access through the KV API's own auth: a namespace's readers hold read on its
 * prefixes, its writers write on its content prefix too; nobody but root writes the config
 * center's keys directly, and every change is audited with its author.
 */
@ExtendWith(OwnedProcesses.class)
class ConfigAuthIT {
    @TempDir
    Path dir;

    @Test
    void aReaderOfOneNamespaceReadsOnlyItAndPublishesNothing() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            String[] steps = {"user add root --new-user-password=rootpw", "user add ops --new-user-password=opspw",
                "user add viewer --new-user-password=viewerpw", "role add prod-rw", "role add dev-r",
                "role grant-permission prod-rw --prefix readwrite /cairn/config/prod/",
                "role grant-permission prod-rw --prefix read /cairn/config-meta/prod/",
                "role grant-permission prod-rw --prefix read /cairn/config-history/prod/",
                "role grant-permission prod-rw --prefix read /cairn/config-gray/prod/",
                "role grant-permission prod-rw --prefix read /cairn/config-audit/prod/",
                "role grant-permission dev-r --prefix read /cairn/config/dev/",
                "role grant-permission dev-r --prefix read /cairn/config-meta/dev/",
                "role grant-permission dev-r --prefix read /cairn/config-history/dev/",
                "role grant-permission dev-r --prefix read /cairn/config-gray/dev/",
                "role grant-permission dev-r --prefix read /cairn/config-audit/dev/",
                "user grant-role ops prod-rw", "user grant-role viewer dev-r", "auth enable"};
            for (String step : steps) {
                assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl " + step).exit()).as(step).isZero();
            }
            ManagedChannel channel = cairn.channel();
            try {
                ConfigGrpc.ConfigBlockingStub root = as(channel, "root", "rootpw");
                ConfigGrpc.ConfigBlockingStub ops = as(channel, "ops", "opspw");
                ConfigGrpc.ConfigBlockingStub viewer = as(channel, "viewer", "viewerpw");
                // namespaces are root's to make
                assertError(() -> ops.createNamespace(CreateNamespaceRequest.newBuilder().setName("prod").build()),
                        "PERMISSION_DENIED", "etcdserver: permission denied");
                root.createNamespace(CreateNamespaceRequest.newBuilder().setName("prod").build());
                root.createNamespace(CreateNamespaceRequest.newBuilder().setName("dev").build());
                root.publish(publish(key("dev", "g", "a.txt"), "dev", Format.TEXT).build());

                ops.publish(publish(key("prod", "g", "a.txt"), "prod", Format.TEXT).setComment("by ops").build());
                assertThat(ops.get(GetRequest.newBuilder().setKey(key("prod", "g", "a.txt")).build()).getConfig().getAuthor())
                        .isEqualTo("ops");
                assertThat(ops.audit(AuditRequest.newBuilder().setNamespace("prod").setUser("ops").build()).getRecords(0).getComment())
                        .isEqualTo("by ops");

                // the viewer sees the namespaces it may read, reads dev, nothing of prod, and publishes nowhere
                assertThat(viewer.listNamespaces(io.cairn.api.config.ListNamespacesRequest.getDefaultInstance()).getNamespacesList())
                        .extracting(io.cairn.api.config.Namespace::getName).containsExactly("dev");
                assertThat(root.listNamespaces(io.cairn.api.config.ListNamespacesRequest.getDefaultInstance()).getNamespacesList())
                        .extracting(io.cairn.api.config.Namespace::getName).containsExactly("default", "dev", "prod");
                assertError(() -> viewer.describeNamespace(DescribeNamespaceRequest.newBuilder().setName("prod").build()),
                        "PERMISSION_DENIED", "permission denied");
                assertThat(viewer.get(GetRequest.newBuilder().setKey(key("dev", "g", "a.txt")).build()).getConfig().getContent())
                        .isEqualTo("dev");
                assertError(() -> viewer.get(GetRequest.newBuilder().setKey(key("prod", "g", "a.txt")).build()),
                        "PERMISSION_DENIED", "permission denied");
                assertError(() -> viewer.history(HistoryRequest.newBuilder().setKey(key("prod", "g", "a.txt")).build()),
                        "PERMISSION_DENIED", "permission denied");
                assertError(() -> viewer.audit(AuditRequest.newBuilder().setNamespace("prod").build()),
                        "PERMISSION_DENIED", "permission denied");
                assertError(() -> viewer.list(ListRequest.newBuilder().setNamespace("prod").build()),
                        "PERMISSION_DENIED", "permission denied");
                assertError(() -> viewer.publish(publish(key("dev", "g", "a.txt"), "x", Format.TEXT).build()),
                        "PERMISSION_DENIED", "permission denied");
                assertError(() -> viewer.listen(ListenRequest.newBuilder().setNamespace("prod").build()).hasNext(),
                        "PERMISSION_DENIED", "permission denied");
                // who listens to a config is read as the config is
                assertError(() -> viewer.listeners(io.cairn.api.config.ListenersRequest.newBuilder().setKey(key("prod", "g", "a.txt")).build()),
                        "PERMISSION_DENIED", "permission denied");
                assertThat(viewer.listeners(io.cairn.api.config.ListenersRequest.newBuilder().setKey(key("dev", "g", "a.txt")).build())
                        .getListenersList()).isEmpty();
                // a reader says what it applied of what it may read, and sees the rollout there only
                long lease = io.cairn.api.etcd.LeaseGrpc.newBlockingStub(channel).withInterceptors(token(channel, "viewer", "viewerpw"))
                        .leaseGrant(io.cairn.api.etcd.LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
                viewer.report(receipt(key("dev", "g", "a.txt"), lease));
                assertThat(viewer.status(io.cairn.api.config.StatusRequest.newBuilder().setKey(key("dev", "g", "a.txt")).build())
                        .getReceiptsList()).extracting(r -> r.getClient().getClientId()).containsExactly("viewer-app");
                assertError(() -> viewer.report(receipt(key("prod", "g", "a.txt"), lease)), "PERMISSION_DENIED", "permission denied");
                assertError(() -> viewer.status(io.cairn.api.config.StatusRequest.newBuilder().setKey(key("prod", "g", "a.txt")).build()),
                        "PERMISSION_DENIED", "permission denied");
                assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl --user ops:opspw put /cairn/config-receipt/prod/g/a.txt/x y").output())
                        .contains("permission denied");
                assertThat(viewer.status(io.cairn.api.config.StatusRequest.newBuilder().setKey(key("dev", "g", "a.txt")).build())
                        .getReceipts(0).getReporter()).isEqualTo("viewer");
                // the reader closes: revoking its lease takes the receipt, which it could not write directly
                io.cairn.api.etcd.LeaseGrpc.newBlockingStub(channel).withInterceptors(token(channel, "viewer", "viewerpw"))
                        .leaseRevoke(io.cairn.api.etcd.LeaseRevokeRequest.newBuilder().setID(lease).build());
                assertThat(viewer.status(io.cairn.api.config.StatusRequest.newBuilder().setKey(key("dev", "g", "a.txt")).build())
                        .getReceiptsList()).isEmpty();
                // and ops, who may publish to prod, may not write its keys around the service
                assertThat(Etcdctl.run(cairn.endpoint(), "etcdctl --user ops:opspw put /cairn/config/prod/g/a.txt sneaky").output())
                        .contains("permission denied");
                assertThat(ops.get(GetRequest.newBuilder().setKey(key("prod", "g", "a.txt")).build()).getConfig().getContent())
                        .isEqualTo("prod");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static io.cairn.api.config.ReportRequest receipt(io.cairn.api.config.ConfigKey key, long lease) {
        return io.cairn.api.config.ReportRequest.newBuilder().setLease(lease).setReceipt(io.cairn.api.config.ConfigReceipt.newBuilder()
                .setKey(key).setClient(io.cairn.api.config.ClientInfo.newBuilder().setClientId("viewer-app"))
                .setVersion(1).setApplied(true)).build();
    }

    static ConfigGrpc.ConfigBlockingStub as(ManagedChannel channel, String user, String password) {
        return ConfigGrpc.newBlockingStub(ClientInterceptors.intercept(channel, token(channel, user, password)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Sends a token of {@code user}'s with every call. */
    static io.grpc.ClientInterceptor token(ManagedChannel channel, String user, String password) {
        String token = AuthGrpc.newBlockingStub(channel).authenticate(AuthenticateRequest.newBuilder()
                .setName(user).setPassword(password).build()).getToken();
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return MetadataUtils.newAttachHeadersInterceptor(md);
    }
}
