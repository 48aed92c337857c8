package io.cairn.server.api;

import io.cairn.server.node.CairnNode;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.cairn.server.tls.ServerTls;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The client-facing server of a member: gRPC and the HTTP gateway, on every listen-client URL. */
public final class ClientServer implements AutoCloseable {
    /** Room for gRPC framing above the request limit, as etcd allows. */
    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

    private final Server server;
    private final Server inProcess;
    private final ManagedChannel gatewayChannel;
    private final HttpGateway gateway;

    private ClientServer(Server server, Server inProcess, ManagedChannel gatewayChannel, HttpGateway gateway) {
        this.server = server;
        this.inProcess = inProcess;
        this.gatewayChannel = gatewayChannel;
        this.gateway = gateway;
    }

    /**
     * Serves gRPC on {@code listenUrls}, over TLS when the client side has it, and etcd's
     * HTTP/JSON gateway on {@code httpUrls} or, when there are none, on {@code listenUrls}
     * beside gRPC, as etcd does.
     *
     * @throws ListenFailure when a URL cannot be bound, naming it
     */
    public static ClientServer start(CairnNode node, List<URI> listenUrls, List<URI> httpUrls) throws IOException {
        ServerTls tls = node.config().clientTls().enabled()
                ? ServerTls.load(node.config().clientTls(), node.config().autoTlsDir(), tlsHosts(listenUrls, httpUrls))
                : null;
        GrpcMetrics metrics = new GrpcMetrics(node.metrics());
        String name = "cairn-gateway-" + java.util.UUID.randomUUID();
        Server inProcess = withServices(InProcessServerBuilder.forName(name)
                        .maxInboundMessageSize(node.config().maxRequestBytes() + GRPC_OVERHEAD_BYTES),
                node, new Callers(node.auth(), true), metrics).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        HttpGateway gateway = new HttpGateway(node, channel);
        try {
            NettyServerBuilder builder = null;
            for (URI url : listenUrls) {
                InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
                builder = builder == null ? NettyServerBuilder.forAddress(address) : builder.addListenAddress(address);
            }
            if (httpUrls.isEmpty()) {
                builder.protocolNegotiator(new ClientProtocols(tls == null ? null
                        : sslContext(tls, ApplicationProtocolNames.HTTP_1_1, ApplicationProtocolNames.HTTP_2), gateway));
            } else if (tls != null) {
                builder.sslContext(sslContext(tls, ApplicationProtocolNames.HTTP_2));
            }
            builder.maxInboundMessageSize(node.config().maxRequestBytes() + GRPC_OVERHEAD_BYTES)
                    .permitKeepAliveTime(5, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true);
            Server server = bind(withServices(builder, node, new Callers(node.auth(), false), metrics).build(), listenUrls);
            try {
                gateway.listen(httpUrls, tls == null ? null : sslContext(tls));
            } catch (IOException e) {
                server.shutdownNow();
                throw e;
            }
            return new ClientServer(server, inProcess, channel, gateway);
        } catch (IOException | RuntimeException e) {
            gateway.close();
            channel.shutdownNow();
            inProcess.shutdownNow();
            throw e;
        }
    }

    /** Starts {@code server}; when a port is taken, the error names the URL that is. */
    private static Server bind(Server server, List<URI> urls) throws IOException {
        try {
            return server.start();
        } catch (IOException e) {
            for (URI url : urls) { // the server has let go of the ports it did bind
                try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                    probe.setReuseAddress(true);
                    probe.bind(new InetSocketAddress(url.getHost(), url.getPort()));
                } catch (IOException busy) {
                    throw new ListenFailure(url, busy);
                }
            }
            throw e;
        }
    }

    /** A port that could not be bound; the message names its URL. */
    public static final class ListenFailure extends IOException {
        ListenFailure(URI url, Throwable cause) {
            super("cannot listen on " + url.getHost() + ":" + url.getPort() + ": "
                    + (cause instanceof java.net.BindException ? "address already in use" : String.valueOf(cause)), cause);
        }
    }

    /** Every service, behind the same interceptors: the one place both servers get them from. */
    private static <B extends ServerBuilder<B>> B withServices(B builder, CairnNode node, Callers callers,
                                                               GrpcMetrics metrics) {
        ServerInterceptor learners = new LearnerGuard(node::isLearner);
        for (BindableService service : List.of(new KvGrpcService(node.kv()),
                new MaintenanceGrpcService(node.maintenance()), new ClusterGrpcService(node.cluster()),
                new LeaseGrpcService(node.leases()), new WatchGrpcService(node.watches(), node.auth().policy()),
                new AuthGrpcService(node.auth()), new LockGrpcService(node.locks()),
                new ElectionGrpcService(node.elections()), new RegistryGrpcService(node.registry()),
                new ConfigGrpcService(node.configs(), node.configReads()))) {
            // the last interceptor runs first: metrics see every call, refused ones included
            builder.addService(ServerInterceptors.intercept(service, learners, callers, metrics));
        }
        // grpc.health.v1, as etcd serves it: SERVING for the server as a whole
        builder.addService(new io.grpc.protobuf.services.HealthStatusManager().getHealthService());
        return builder;
    }

    /**
     * A verified client certificate is asked for only when client-cert auth is on, as in etcd.
     * With {@code alpn} protocols (HTTP/2 ciphers, as gRPC needs), the first the client also
     * offers is chosen; without, none is negotiated.
     */
    private static SslContext sslContext(ServerTls tls, String... alpn) throws IOException {
        SslContextBuilder ssl = SslContextBuilder.forServer(tls.keyManagers());
        if (alpn.length > 0) {
            GrpcSslContexts.configure(ssl).applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        if (tls.trustManagers() != null) {
            ssl.trustManager(tls.trustManagers()).clientAuth(tls.clientCertAuth() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        return ssl.build();
    }

    /** The names a generated certificate must carry: the listen hosts, and loopback's. */
    static List<String> tlsHosts(List<URI> listenUrls, List<URI> httpUrls) {
        java.util.LinkedHashSet<String> hosts = new java.util.LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        for (URI url : listenUrls) {
            hosts.add(url.getHost());
        }
        for (URI url : httpUrls) {
            hosts.add(url.getHost());
        }
        return List.copyOf(hosts);
    }

    /** The port of the first listener (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /** The port of the first listener of {@code --listen-client-http-urls}, or -1. */
    public int httpPort() {
        return gateway.port();
    }

    @Override
    public void close() throws InterruptedException {
        gateway.close(); // first: the gRPC server waits for every connection on its ports to end
        gatewayChannel.shutdownNow();
        inProcess.shutdownNow();
        server.shutdown();
        // a second for calls under way to be answered; streams (watches, keep-alives, lock waits)
        // never end by themselves, and waiting longer for them only delayed every stop
        if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
    }
}
