package io.cairn.server.api;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InternalChannelz;
import io.grpc.SecurityLevel;
import io.grpc.internal.GrpcAttributes;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.InternalWriteBufferingAndExceptionHandlerUtils;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * gRPC and etcd's HTTP/1.1 gateway on one port, as etcd serves them: the negotiator of the gRPC
 * server's own Netty pipeline, which decides per connection by how the client opens it.
 *
 * <p>In plaintext, the first bytes tell: HTTP/2's connection preface means gRPC, anything else
 * HTTP/1.1. Nothing is sent before that, because gRPC's HTTP/2 handler writes its SETTINGS as
 * soon as it is installed: grpc's negotiation events and the client's bytes are held, then
 * either replayed into grpc's own negotiation handler or the gateway is installed instead. With
 * TLS the handshake tells, by ALPN: {@code h2} is gRPC, {@code http/1.1} or none the gateway.
 * The server prefers {@code http/1.1} when offered both: gRPC clients offer only {@code h2},
 * while curl and browsers offer both and get the gateway. (Unlike etcd, a non-gRPC client that
 * speaks HTTP/2 only reaches gRPC.)
 *
 * <p>The order of events follows grpc-java 1.85's ProtocolNegotiators: the transport adds a
 * buffering handler that fires a {@link ProtocolNegotiationEvent} from the pipeline's head;
 * each negotiation handler holds it until its part is done, replaces itself with the next and
 * fires the event on.
 */
final class ClientProtocols implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final ByteBuf PREFACE = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", StandardCharsets.US_ASCII));

    private final InternalProtocolNegotiator.ProtocolNegotiator plaintext = InternalProtocolNegotiators.serverPlaintext();
    private final SslContext ssl;
    private final HttpGateway gateway;

    /** @param ssl null for plaintext; else with ALPN for {@code http/1.1} and {@code h2} */
    ClientProtocols(SslContext ssl, HttpGateway gateway) {
        this.ssl = ssl;
        this.gateway = gateway;
    }

    @Override
    public AsciiString scheme() {
        return ssl == null ? plaintext.scheme() : AsciiString.of("https");
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpc) {
        if (ssl == null) {
            return new PrefaceSwitch(plaintext.newHandler(grpc));
        }
        return InternalProtocolNegotiators.waitUntilActiveHandler(
                new AlpnSwitch(InternalProtocolNegotiators.grpcNegotiationHandler(grpc)), grpc.getNegotiationLogger());
    }

    @Override
    public void close() {
        plaintext.close();
    }

    /**
     * Hands the connection to the gateway: its handlers take this one's place, and grpc's write
     * buffer, which would hold the gateway's writes, leaves the pipeline.
     */
    private void toGateway(ChannelHandlerContext ctx) {
        gateway.install(ctx.pipeline(), ctx.name());
        InternalWriteBufferingAndExceptionHandlerUtils.writeBufferingAndRemove(ctx.channel());
        ctx.pipeline().remove(ctx.handler());
    }

    /** Plaintext: waits for the client's first bytes. */
    private final class PrefaceSwitch extends ChannelInboundHandlerAdapter {
        private final ChannelHandler grpc;
        private final List<Object> negotiation = new ArrayList<>();
        private ByteBuf received;

        PrefaceSwitch(ChannelHandler grpc) {
            this.grpc = grpc;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ProtocolNegotiationEvent) {
                negotiation.add(evt);
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes)) {
                ctx.fireChannelRead(msg);
                return;
            }
            received = received == null ? bytes : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), received, bytes);
            int n = Math.min(received.readableBytes(), PREFACE.readableBytes());
            boolean http2 = ByteBufUtil.equals(received, received.readerIndex(), PREFACE, 0, n);
            if (http2 && n < PREFACE.readableBytes()) {
                return; // not enough to tell yet
            }
            ByteBuf replay = received;
            received = null;
            if (http2) {
                // a replaced context forwards to its replacement: grpc's handlers see it all
                ctx.pipeline().replace(this, null, grpc);
                for (Object evt : negotiation) {
                    ctx.fireUserEventTriggered(evt);
                }
            } else {
                toGateway(ctx);
            }
            ctx.fireChannelRead(replay);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (received != null) { // closed before it could tell
                received.release();
                received = null;
            }
        }
    }

    /** TLS: adds the TLS handler and decides when its handshake completes. */
    private final class AlpnSwitch extends ChannelInboundHandlerAdapter {
        private final ChannelHandler grpc;
        private ProtocolNegotiationEvent negotiation = InternalProtocolNegotiationEvent.getDefault();

        AlpnSwitch(ChannelHandler grpc) {
            this.grpc = grpc;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.pipeline().addBefore(ctx.name(), null, ssl.newHandler(ctx.alloc()));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ProtocolNegotiationEvent event) {
                negotiation = event;
            } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
                if (!handshake.isSuccess()) {
                    ctx.fireExceptionCaught(handshake.cause()); // grpc's buffering handler closes
                    return;
                }
                SslHandler tls = ctx.pipeline().get(SslHandler.class);
                if (ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                    ctx.pipeline().replace(this, null, grpc);
                    ctx.fireUserEventTriggered(secured(tls.engine().getSession()));
                } else {
                    toGateway(ctx);
                }
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        /** What grpc's own TLS handler tells the rest of the negotiation: the session, for the CN. */
        private ProtocolNegotiationEvent secured(SSLSession session) {
            Attributes attrs = InternalProtocolNegotiationEvent.getAttributes(negotiation).toBuilder()
                    .set(GrpcAttributes.ATTR_SECURITY_LEVEL, SecurityLevel.PRIVACY_AND_INTEGRITY)
                    .set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session)
                    .build();
            return InternalProtocolNegotiationEvent.withSecurity(
                    InternalProtocolNegotiationEvent.withAttributes(negotiation, attrs),
                    new InternalChannelz.Security(new InternalChannelz.Tls(session)));
        }
    }
}
