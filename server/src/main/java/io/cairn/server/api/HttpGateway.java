package io.cairn.server.api;

import io.cairn.server.concurrent.DaemonThreads;
import io.cairn.server.node.CairnNode;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelPipeline;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.group.ChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.group.DefaultChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMessage;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * etcd's HTTP/JSON gateway: POST /v3/... with a request in JSON answers the gRPC method's
 * response in the same JSON, as etcd's grpc-gateway does; /v3/watch streams one
 * {"result": ...} line per response. Also /health, /version and /metrics.
 *
 * <p>It is served where etcd serves it: on the client URLs, beside gRPC ({@link ClientProtocols}
 * hands it each HTTP/1.1 connection), or on {@code --listen-client-http-urls} when given. Each
 * request is a call on an in-process gRPC channel, so auth, learner rules, limits and metrics
 * are exactly gRPC's. This class holds what the connections share; {@link GatewayHandler}
 * serves one connection.
 */
final class HttpGateway implements AutoCloseable {
    static final Metadata.Key<String> FORWARDED_CN = Metadata.Key.of("cairn-gateway-cn", Metadata.ASCII_STRING_MARSHALLER);
    /** The HTTP client's address, which the in-process call cannot see for itself. */
    static final Metadata.Key<String> FORWARDED_FOR = Metadata.Key.of("cairn-gateway-for", Metadata.ASCII_STRING_MARSHALLER);
    /** Streams (watches) open at once through the gateway. */
    private static final int MAX_STREAMS = 1024;

    final CairnNode node;
    final ManagedChannel channel;
    /** Parses bodies, starts calls and scrapes metrics: JSON work stays off the event loops. */
    final ExecutorService work = Executors.newFixedThreadPool(4, DaemonThreads.named("cairn-http"));
    /** Where the in-process calls deliver their responses. */
    final ExecutorService calls = Executors.newCachedThreadPool(DaemonThreads.named("cairn-http-call"));
    final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cairn-http-probe"));
    final Semaphore streamSlots = new Semaphore(MAX_STREAMS);
    private final int maxBodyBytes;
    /** Every HTTP connection, wherever accepted, so that close() ends them all. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new ArrayList<>();
    private EventLoopGroup ownLoops;

    HttpGateway(CairnNode node, ManagedChannel channel) {
        this.node = node;
        this.channel = channel;
        this.maxBodyBytes = node.config().maxRequestBytes() * 2 + 64 * 1024; // base64 and JSON overhead
    }

    /**
     * Turns {@code pipeline}, whose client speaks HTTP/1.1, into a gateway connection: the
     * handlers go right after the handler named {@code after}, or last when it is null.
     */
    void install(ChannelPipeline pipeline, String after) {
        connections.add(pipeline.channel());
        if (after == null) {
            pipeline.addLast(new HttpServerCodec(), new Aggregator(maxBodyBytes), new GatewayHandler(this));
        } else {
            pipeline.addAfter(after, null, new GatewayHandler(this));
            pipeline.addAfter(after, null, new Aggregator(maxBodyBytes));
            pipeline.addAfter(after, null, new HttpServerCodec());
        }
    }

    /**
     * Also serves the gateway, and only it, on {@code urls} ({@code --listen-client-http-urls}).
     *
     * @throws ClientServer.ListenFailure naming the URL that could not be bound
     */
    void listen(List<URI> urls, SslContext ssl) throws ClientServer.ListenFailure {
        if (urls.isEmpty()) {
            return;
        }
        ownLoops = new MultiThreadIoEventLoopGroup(2, DaemonThreads.named("cairn-http-io"), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(ownLoops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        install(ch.pipeline(), null);
                    }
                });
        for (URI url : urls) {
            var bound = bootstrap.bind(new InetSocketAddress(url.getHost(), url.getPort())).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw new ClientServer.ListenFailure(url, bound.cause());
            }
            listeners.add(bound.channel());
        }
    }

    /** The port of the first own listener, or -1. */
    int port() {
        return listeners.isEmpty() ? -1 : ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    /** Refuses a body larger than any request may be with etcd's words, then closes. */
    private static final class Aggregator extends HttpObjectAggregator {
        Aggregator(int maxBodyBytes) {
            super(maxBodyBytes);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            GatewayHandler.tooLarge(ctx);
        }
    }

    /** Stops listening and ends every HTTP connection, streams included. */
    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (ownLoops != null) {
            ownLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        probes.shutdownNow();
        work.shutdownNow();
        calls.shutdownNow();
    }
}
