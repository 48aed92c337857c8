package io.cairn.server.api;

import io.cairn.server.node.CairnNode;
import io.grpc.Server;
import io.cairn.server.tls.ServerTls;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The client-facing gRPC server of a member, on every listen-client URL. */
public final class ClientServer implements AutoCloseable {
    /** Room for gRPC framing above the request limit, as etcd allows. */
    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

    private final Server server;

    private ClientServer(Server server) {
        this.server = server;
    }

    public static ClientServer start(CairnNode node, List<URI> listenUrls) throws IOException {
        NettyServerBuilder builder = null;
        for (URI url : listenUrls) {
            InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
            builder = builder == null ? NettyServerBuilder.forAddress(address) : builder.addListenAddress(address);
        }
        if (node.config().clientTls().enabled()) {
            builder.sslContext(sslContext(node, listenUrls));
        }
        Server server = builder
                .intercept(new LearnerGuard(node::isLearner))
                .intercept(new Callers(node.auth()))
                .maxInboundMessageSize(node.config().maxRequestBytes() + GRPC_OVERHEAD_BYTES)
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(new KvGrpcService(node.kv()))
                .addService(new MaintenanceGrpcService(node.maintenance()))
                .addService(new ClusterGrpcService(node.cluster()))
                .addService(new LeaseGrpcService(node.leases()))
                .addService(new WatchGrpcService(node.watches(), node.auth().policy()))
                .addService(new AuthGrpcService(node.auth()))
                .build()
                .start();
        return new ClientServer(server);
    }

    /** A verified client certificate is asked for only when client-cert auth is on, as in etcd. */
    private static SslContext sslContext(CairnNode node, List<URI> listenUrls) throws IOException {
        ServerTls tls = ServerTls.load(node.config().clientTls(), node.config().autoTlsDir(), tlsHosts(listenUrls));
        SslContextBuilder ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(tls.keyManagers()));
        if (tls.trustManagers() != null) {
            ssl.trustManager(tls.trustManagers()).clientAuth(tls.clientCertAuth() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        return ssl.build();
    }

    /** The names a generated certificate must carry: the listen hosts, and loopback's. */
    public static List<String> tlsHosts(List<URI> listenUrls) {
        java.util.LinkedHashSet<String> hosts = new java.util.LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        for (URI url : listenUrls) {
            hosts.add(url.getHost());
        }
        return List.copyOf(hosts);
    }

    /** The port of the first listener (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
    }
}
