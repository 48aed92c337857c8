package io.cairn.server.api;

import io.cairn.server.auth.AccessPolicy;
import io.cairn.server.errors.ServerException;
import io.cairn.server.node.AuthServer;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Finds who each call acts for — the "token" (or "authorization") metadata etcd clients send,
 * else a verified client certificate's common name — and refuses the call at once when the
 * token is bad or the method needs more than the caller has. The user travels in the context.
 */
final class Callers implements ServerInterceptor {
    static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> USER = Context.key("cairn-user");
    private static final Context.Key<String> ADDRESS = Context.key("cairn-address");

    private final AuthServer auth;
    private final boolean trustForwardedCn;

    /**
     * @param trustForwardedCn take a client certificate's CN from the gateway's metadata: only
     *                         for the in-process server, which nothing outside the member reaches
     */
    Callers(AuthServer auth, boolean trustForwardedCn) {
        this.auth = auth;
        this.trustForwardedCn = trustForwardedCn;
    }

    /** The user the current call acts for; "" for none. */
    static String user() {
        String user = USER.get();
        return user == null ? "" : user;
    }

    /** The address the current call came from (the HTTP client's, through the gateway); "" if unknown. */
    static String address() {
        String address = ADDRESS.get();
        return address == null ? "" : address;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                         ServerCallHandler<Q, A> next) {
        String user;
        try {
            String cn = trustForwardedCn ? headers.get(HttpGateway.FORWARDED_CN)
                    : commonName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            user = auth.identify(token(headers), cn);
            AccessPolicy.Level level = AccessPolicy.levelOf(call.getMethodDescriptor().getFullMethodName());
            if (level != AccessPolicy.Level.KEYED) {
                auth.policy().require(level, user);
            }
        } catch (ServerException e) {
            call.close(GrpcErrors.toStatus(e).getStatus(), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        String address = trustForwardedCn ? headers.get(HttpGateway.FORWARDED_FOR)
                : call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR) instanceof java.net.InetSocketAddress remote
                ? remote.getAddress().getHostAddress() : null;
        return Contexts.interceptCall(Context.current().withValue(USER, user).withValue(ADDRESS, address), call, headers, next);
    }

    static String token(Metadata headers) {
        String token = headers.get(TOKEN);
        if (token == null) {
            token = headers.get(AUTHORIZATION);
            if (token != null && token.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = token.substring(7);
            }
        }
        return token;
    }

    /** The CN of the client certificate the TLS handshake verified, or null. */
    static String commonName(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
                return null;
            }
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return null;
        }
    }
}
