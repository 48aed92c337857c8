package io.cairn.server.api;

import com.google.gson.JsonPrimitive;
import com.google.protobuf.Message;
import io.cairn.server.auth.AccessPolicy;
import io.cairn.server.errors.ServerException;
import io.cairn.server.node.MaintenanceServer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelDuplexHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelPromise;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaders;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMessage;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObject;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection of the gateway. Requests are answered one at a time and in order: a
 * pipelining client's next requests wait, and past a few of them the connection is not read.
 * The handler's state is touched on the channel's event loop only; an {@link Exchange}, which
 * answers one request, may be used from any thread.
 */
final class GatewayHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    /** Requests a pipelining client may have waiting before its connection is no longer read. */
    private static final int MAX_WAITING = 8;

    private final HttpGateway gateway;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** The exchange being answered, or null. */
    private Exchange current;

    GatewayHandler(HttpGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        waiting.add(request);
        if (waiting.size() >= MAX_WAITING) {
            ctx.channel().config().setAutoRead(false);
        }
        serveNext();
    }

    private void serveNext() {
        while (current == null && !waiting.isEmpty()) {
            FullHttpRequest request = waiting.poll();
            if (waiting.size() < MAX_WAITING / 2) {
                ctx.channel().config().setAutoRead(true);
            }
            try {
                current = new Exchange(this, request);
                serve(current, request);
            } finally {
                request.release();
            }
        }
    }

    private void serve(Exchange ex, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) { // as Go's server answers a request it cannot parse
            ex.keepAlive = false;
            ex.send(400, TEXT, "400 Bad Request");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).rawPath();
        switch (path) {
            case "/health" -> health(ex);
            case "/version" -> ex.send(200, JSON, "{\"etcdserver\":\"" + MaintenanceServer.ETCD_API_VERSION
                    + "\",\"etcdcluster\":\"" + MaintenanceServer.ETCD_API_VERSION + "\"}");
            case "/metrics" -> offload(ex, path, () -> metrics(ex));
            default -> {
                MethodDescriptor<?, ?> method = GatewayRoutes.method(path);
                if (method == null) { // as etcd's muxes answer
                    ex.send(404, TEXT, path.startsWith("/v3") ? "Not Found\n" : "404 page not found\n");
                } else if (!request.method().equals(HttpMethod.POST)) {
                    ex.send(405, TEXT, "Method Not Allowed\n");
                } else {
                    String body = request.content().toString(StandardCharsets.UTF_8);
                    offload(ex, path, () -> GatewayCalls.call(gateway, ex, cast(method), body));
                }
            }
        }
    }

    /** JSON and metrics work runs off the event loop, which gRPC's connections share. */
    private void offload(Exchange ex, String path, Runnable work) {
        gateway.work.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("HTTP gateway failed on {}: {}", path, e.toString());
                ex.error(Status.INTERNAL.withDescription("the gateway failed: " + e));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static MethodDescriptor<Message, Message> cast(MethodDescriptor<?, ?> method) {
        return (MethodDescriptor<Message, Message>) method;
    }

    private void health(Exchange ex) {
        gateway.node.maintenance().health().orTimeout(3, TimeUnit.SECONDS).whenComplete((reason, failure) -> {
            String why = failure != null ? "health check failed" : reason;
            ex.send(why.isEmpty() ? 200 : 503, JSON, why.isEmpty() ? "{\"health\":\"true\"}"
                    : "{\"health\":\"false\",\"reason\":" + new JsonPrimitive(why) + "}");
        });
    }

    /** Open while auth is off; with auth on, for a known user only (token or client certificate). */
    private void metrics(Exchange ex) {
        try {
            Metadata md = ex.metadata();
            String user = gateway.node.auth().identify(md.get(Callers.TOKEN), md.get(HttpGateway.FORWARDED_CN));
            gateway.node.auth().policy().require(AccessPolicy.Level.USER, user);
        } catch (ServerException e) {
            ex.error(GrpcErrors.toStatus(e).getStatus());
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, gateway.node.metrics().scrape(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write metrics to memory", e);
        }
        ex.send(200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toString(StandardCharsets.UTF_8));
    }

    /** Answers a body larger than any request may be, and closes: the rest of it is not read. */
    static void tooLarge(ChannelHandlerContext ctx) {
        FullHttpResponse response = response(413, JSON,
                GatewayJson.error(Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large")));
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse response(int status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && ctx.channel().isWritable()) {
            current.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            current.clientGone();
        }
        while (!waiting.isEmpty()) {
            waiting.poll().release();
        }
        ctx.fireChannelInactive();
    }

    /**
     * Only HTTP leaves through here. On a client port, gRPC's transport also writes its own
     * commands into the channel: the close it sends a connection that has not spoken HTTP/2
     * within the handshake timeout would end long watches. The gateway closes its connections
     * itself ({@link HttpGateway#close}).
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpObject || msg instanceof ByteBuf) {
            ctx.write(msg, promise);
        } else {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) { // a reset or a broken pipe is the client leaving
            log.debug("HTTP gateway connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    /** One request and its answer: a full response, or a stream of lines. Usable from any thread. */
    static final class Exchange {
        private final GatewayHandler handler;
        private final HttpHeaders headers;
        private volatile boolean keepAlive;
        /** On the event loop only: what runs when the channel can take more, and when the client leaves. */
        private Runnable onWritable;
        private Runnable onGone;

        private Exchange(GatewayHandler handler, FullHttpRequest request) {
            this.handler = handler;
            this.headers = request.headers().copy();
            this.keepAlive = HttpUtil.isKeepAlive(request);
        }

        /** The token of an Authorization header, and a verified client certificate's CN. */
        Metadata metadata() {
            Metadata md = new Metadata();
            String token = headers.get(HttpHeaderNames.AUTHORIZATION);
            if (token != null && !token.isBlank()) {
                md.put(Callers.TOKEN, token.replaceFirst("(?i)^Bearer ", "").trim());
            }
            SslHandler ssl = handler.ctx.pipeline().get(SslHandler.class);
            String cn = ssl == null ? null : Callers.commonName(ssl.engine().getSession());
            if (cn != null) {
                md.put(HttpGateway.FORWARDED_CN, cn);
            }
            if (handler.ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress remote) {
                md.put(HttpGateway.FORWARDED_FOR, remote.getAddress().getHostAddress());
            }
            return md;
        }

        void send(int status, String contentType, String body) {
            FullHttpResponse response = response(status, contentType, body);
            onLoop(() -> finish(handler.ctx.writeAndFlush(keepAlive(response))));
        }

        void error(Status status) {
            send(GatewayJson.httpStatus(status.getCode()), JSON, GatewayJson.error(status));
        }

        /** Sends the headers of a chunked response of JSON lines. */
        void startLines() {
            var response = new DefaultHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
            HttpUtil.setTransferEncodingChunked(response, true);
            handler.ctx.writeAndFlush(keepAlive(response));
        }

        void line(String json) {
            handler.ctx.writeAndFlush(new DefaultHttpContent(
                    Unpooled.copiedBuffer(json + "\n", StandardCharsets.UTF_8)));
        }

        void endLines() {
            onLoop(() -> finish(handler.ctx.writeAndFlush(
                    LastHttpContent.EMPTY_LAST_CONTENT)));
        }

        /** Runs {@code next} once the channel takes more writes: at once if it does now. */
        void whenWritable(Runnable next) {
            onLoop(() -> {
                if (handler.ctx.channel().isWritable() || !handler.ctx.channel().isActive()) {
                    next.run();
                } else {
                    onWritable = next;
                }
            });
        }

        /** What to do when the client leaves before the exchange ends: cancel its call. */
        void onClientGone(Runnable cancel) {
            onLoop(() -> {
                if (handler.ctx.channel().isActive()) {
                    onGone = cancel;
                } else {
                    cancel.run();
                }
            });
        }

        private void writable() {
            Runnable next = onWritable;
            onWritable = null;
            if (next != null) {
                next.run();
            }
        }

        private void clientGone() {
            Runnable cancel = onGone;
            onGone = null;
            if (cancel != null) {
                cancel.run();
            }
        }

        private <M extends HttpMessage> M keepAlive(M message) {
            HttpUtil.setKeepAlive(message, keepAlive);
            return message;
        }

        private void finish(ChannelFuture written) {
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
            onWritable = null;
            onGone = null;
            if (handler.current == this) {
                handler.current = null;
                handler.serveNext();
            }
        }

        private void onLoop(Runnable task) {
            if (handler.ctx.executor().inEventLoop()) {
                task.run();
            } else {
                handler.ctx.executor().execute(task);
            }
        }
    }
}
