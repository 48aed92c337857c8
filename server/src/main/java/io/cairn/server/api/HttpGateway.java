package io.cairn.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.cairn.server.node.CairnNode;
import io.cairn.server.node.MaintenanceServer;
import io.cairn.server.tls.ServerTls;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's HTTP/JSON gateway: POST /v3/... with a request in JSON (bytes in base64, 64-bit
 * numbers as strings) answers the gRPC method's response in the same JSON, as etcd's
 * grpc-gateway does; /v3/watch streams one {"result": ...} line per response. Each request is
 * made on an in-process gRPC channel, so auth, learner rules, limits and metrics are exactly
 * those of gRPC. Also serves /health, /version and /metrics.
 */
final class HttpGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpGateway.class);
    static final Metadata.Key<String> FORWARDED_CN = Metadata.Key.of("cairn-gateway-cn", Metadata.ASCII_STRING_MARSHALLER);
    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    /** Streams (watches) open at once through the gateway. */
    private static final int MAX_STREAMS = 1024;
    /** How often an idle HTTP watch asks for progress, which is how a departed client is noticed. */
    private static final long WATCH_PROBE_SECONDS = 60;

    static {
        // headers and body leave as two writes; without TCP_NODELAY a keep-alive client waits
        // out a delayed ACK (~40 ms) on every response. Read once, when the JDK server loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final CairnNode node;
    private final Channel channel;
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService handlers = Executors.newFixedThreadPool(16, daemon("cairn-http"));
    private final ExecutorService streams = Executors.newCachedThreadPool(daemon("cairn-http-stream"));
    private final java.util.concurrent.ScheduledExecutorService probes =
            Executors.newSingleThreadScheduledExecutor(daemon("cairn-http-probe"));
    private final Semaphore streamSlots = new Semaphore(MAX_STREAMS);
    private final int maxBodyBytes;

    HttpGateway(CairnNode node, ManagedChannel channel, List<URI> urls, ServerTls tls) throws IOException {
        this.node = node;
        this.channel = channel;
        this.maxBodyBytes = node.config().maxRequestBytes() * 2 + 64 * 1024; // base64 and JSON overhead
        try {
            for (URI url : urls) {
                InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
                HttpServer server = tls == null ? HttpServer.create(address, 128) : https(address, tls);
                server.setExecutor(handlers);
                server.createContext("/", this::handle);
                server.start();
                servers.add(server);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static HttpsServer https(InetSocketAddress address, ServerTls tls) throws IOException {
        HttpsServer server = HttpsServer.create(address, 128);
        try {
            server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                    if (tls.clientCertAuth()) { // (setting "want" would clear "need")
                        ssl.setNeedClientAuth(true);
                    } else if (tls.trustManagers() != null) {
                        ssl.setWantClientAuth(true);
                    }
                    params.setSSLParameters(ssl);
                }
            });
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for the HTTP gateway: " + e.getMessage(), e);
        }
        return server;
    }

    int port() {
        return servers.get(0).getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/health" -> health(ex);
                case "/version" -> send(ex, 200, "application/json", "{\"etcdserver\":\"" + MaintenanceServer.ETCD_API_VERSION
                        + "\",\"etcdcluster\":\"" + MaintenanceServer.ETCD_API_VERSION + "\"}");
                case "/metrics" -> metrics(ex);
                default -> {
                    MethodDescriptor<?, ?> method = GatewayRoutes.method(path);
                    if (method == null) { // as etcd's muxes answer
                        send(ex, 404, "text/plain; charset=utf-8",
                                path.startsWith("/v3") ? "Not Found\n" : "404 page not found\n");
                    } else if (!ex.getRequestMethod().equals("POST")) {
                        send(ex, 405, "text/plain; charset=utf-8", "Method Not Allowed\n");
                    } else {
                        rpc(ex, cast(method));
                    }
                }
            }
        } catch (IOException e) {
            ex.close(); // the client went away
        } catch (RuntimeException e) {
            log.warn("HTTP gateway failed on {}: {}", ex.getRequestURI().getPath(), e.toString());
            ex.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static MethodDescriptor<Message, Message> cast(MethodDescriptor<?, ?> method) {
        return (MethodDescriptor<Message, Message>) method;
    }

    private void health(HttpExchange ex) throws IOException {
        String reason;
        try {
            reason = node.maintenance().health().get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted";
        } catch (ExecutionException | TimeoutException e) {
            reason = "health check failed";
        }
        String body = reason.isEmpty() ? "{\"health\":\"true\"}"
                : "{\"health\":\"false\",\"reason\":" + new com.google.gson.JsonPrimitive(reason) + "}";
        send(ex, reason.isEmpty() ? 200 : 503, "application/json", body);
    }

    /** Open while auth is off; with auth on, for a known user only (token or client certificate). */
    private void metrics(HttpExchange ex) throws IOException {
        try {
            Metadata md = metadata(ex);
            String user = node.auth().identify(md.get(Callers.TOKEN), md.get(FORWARDED_CN));
            node.auth().policy().require(io.cairn.server.auth.AccessPolicy.Level.USER, user);
        } catch (io.cairn.server.errors.ServerException e) {
            Status status = GrpcErrors.toStatus(e).getStatus();
            error(ex, status, httpStatus(status.getCode()));
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, node.metrics().scrape(), EscapingScheme.DEFAULT);
        ex.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
        ex.sendResponseHeaders(200, out.size());
        try (OutputStream body = ex.getResponseBody()) {
            out.writeTo(body);
        }
    }

    private void rpc(HttpExchange ex, MethodDescriptor<Message, Message> method) throws IOException {
        byte[] body = readBody(ex.getRequestBody());
        if (body == null) {
            error(ex, Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large"), 413);
            return;
        }
        List<Message> requests;
        try {
            requests = parse(method, new String(body, StandardCharsets.UTF_8));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            error(ex, Status.INVALID_ARGUMENT.withDescription(String.valueOf(e.getMessage())), 400);
            return;
        }
        Channel calls = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata(ex)));
        if (method.getType() == MethodDescriptor.MethodType.UNARY) {
            unary(ex, calls, method, requests.get(0));
        } else {
            stream(ex, calls, method, requests);
        }
    }

    /** The body, or null when it is larger than any request may be. */
    private byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        return body.length > maxBodyBytes ? null : body;
    }

    /** One JSON object, or for a bidirectional stream one or more in a row; none means {}. */
    private static List<Message> parse(MethodDescriptor<Message, Message> method, String body)
            throws InvalidProtocolBufferException {
        Message prototype = ((MethodDescriptor.PrototypeMarshaller<Message>) method.getRequestMarshaller())
                .getMessagePrototype();
        List<Message> requests = new ArrayList<>();
        com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new StringReader(body));
        reader.setLenient(true);
        try {
            while (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                com.google.gson.JsonElement element = com.google.gson.JsonParser.parseReader(reader);
                Message.Builder builder = prototype.newBuilderForType();
                PARSER.merge(element.toString(), builder);
                requests.add(builder.build());
                if (method.getType() != MethodDescriptor.MethodType.BIDI_STREAMING) {
                    break;
                }
            }
        } catch (IOException | com.google.gson.JsonParseException | IllegalStateException e) {
            throw new InvalidProtocolBufferException("malformed JSON: " + e.getMessage());
        }
        if (requests.isEmpty()) {
            requests.add(prototype);
        }
        return requests;
    }

    /** The token of an Authorization header, and a verified client certificate's CN. */
    private static Metadata metadata(HttpExchange ex) {
        Metadata md = new Metadata();
        String token = ex.getRequestHeaders().getFirst("Authorization");
        if (token != null && !token.isBlank()) {
            md.put(Callers.TOKEN, token.replaceFirst("(?i)^Bearer ", "").trim());
        }
        if (ex instanceof HttpsExchange https) {
            String cn = Callers.commonName(https.getSSLSession());
            if (cn != null) {
                md.put(FORWARDED_CN, cn);
            }
        }
        return md;
    }

    private void unary(HttpExchange ex, Channel calls, MethodDescriptor<Message, Message> method, Message request)
            throws IOException {
        try {
            Message response = ClientCalls.blockingUnaryCall(calls, method,
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), request);
            send(ex, 200, "application/json", JSON.print(response));
        } catch (StatusRuntimeException e) {
            error(ex, e.getStatus(), httpStatus(e.getStatus().getCode()));
        }
    }

    /**
     * Streams responses as {"result": ...} lines. A watch stays open until the client leaves;
     * keep-alives answer each request once; a server stream (snapshot) runs to its end.
     */
    private void stream(HttpExchange ex, Channel calls, MethodDescriptor<Message, Message> method, List<Message> requests)
            throws IOException {
        if (!streamSlots.tryAcquire()) {
            error(ex, Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: too many requests"), 429);
            return;
        }
        boolean watch = method.getFullMethodName().equals(io.cairn.api.etcd.WatchGrpc.getWatchMethod().getFullMethodName());
        ClientCall<Message, Message> call = calls.newCall(method, CallOptions.DEFAULT.withExecutor(streams));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        int expected = watch || method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING ? -1 : requests.size();
        java.util.concurrent.ScheduledFuture<?>[] probe = new java.util.concurrent.ScheduledFuture<?>[1];
        call.start(new ClientCall.Listener<>() {
            private int received;
            private boolean done;

            @Override
            public void onMessage(Message message) {
                try {
                    write(out, "{\"result\":" + JSON.print(message) + "}\n");
                    call.request(1);
                    if (expected > 0 && ++received >= expected) {
                        call.cancel("all answered", null);
                    }
                } catch (IOException e) {
                    call.cancel("the HTTP client left", null);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                synchronized (this) {
                    if (done) {
                        return;
                    }
                    done = true;
                }
                if (probe[0] != null) {
                    probe[0].cancel(false);
                }
                try {
                    if (!status.isOk() && status.getCode() != Status.Code.CANCELLED) {
                        write(out, "{\"error\":" + errorJson(status) + "}\n");
                    }
                } catch (IOException ignored) {
                    // the client is gone already
                } finally {
                    streamSlots.release();
                    ex.close();
                }
            }
        }, new Metadata());
        call.request(1);
        for (Message request : requests) {
            call.sendMessage(request);
        }
        if (watch) {
            Message progress = io.cairn.api.etcd.WatchRequest.newBuilder()
                    .setProgressRequest(io.cairn.api.etcd.WatchProgressRequest.getDefaultInstance()).build();
            probe[0] = probes.scheduleWithFixedDelay(() -> call.sendMessage(progress),
                    WATCH_PROBE_SECONDS, WATCH_PROBE_SECONDS, TimeUnit.SECONDS);
        } else {
            call.halfClose();
        }
    }

    private static synchronized void write(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void error(HttpExchange ex, Status status, int httpStatus) throws IOException {
        send(ex, httpStatus, "application/json", errorJson(status));
    }

    /** grpc-gateway's error body: the message twice, as etcd's clients read either. */
    private static String errorJson(Status status) {
        String message = new com.google.gson.JsonPrimitive(String.valueOf(status.getDescription())).toString();
        return "{\"error\":" + message + ",\"message\":" + message + ",\"code\":" + status.getCode().value() + "}";
    }

    /** grpc-gateway's mapping of gRPC codes to HTTP statuses. */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 408;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case FAILED_PRECONDITION -> 412;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            default -> 500;
        };
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.stop(0);
        }
        probes.shutdownNow();
        handlers.shutdownNow();
        streams.shutdownNow();
    }
}
