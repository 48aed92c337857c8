package io.cairn.client;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.concurrent.CompletableFuture;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a Cairn (or etcd) cluster: one gRPC channel over all endpoints, spreading
 * calls across them and leaving out those that fail. Close it when done.
 *
 * <pre>{@code
 * try (Client client = Client.builder().endpoints("http://127.0.0.1:2379").build()) {
 *     client.kv().sync().put("greeting", "hello");
 * }
 * }</pre>
 */
public final class Client implements AutoCloseable {
    static {
        NameResolverRegistry.getDefaultRegistry().register(new StaticResolverProvider());
    }

    private final ManagedChannel channel;
    private final ScheduledExecutorService timer;
    private final Calls calls;
    private final Kv kv;
    private final Lease lease;
    private final Watch watch;
    private final Lock lock;
    private final Election election;

    private Client(Builder b) {
        List<String> hostPorts = new ArrayList<>();
        boolean tls = b.trustedCa != null;
        for (String endpoint : b.endpoints) {
            URI uri = URI.create(endpoint.contains("://") ? endpoint : (tls ? "https://" : "http://") + endpoint);
            tls |= "https".equals(uri.getScheme());
            hostPorts.add(uri.getHost() + ":" + uri.getPort());
        }
        if (hostPorts.isEmpty()) {
            throw new IllegalArgumentException("no endpoints");
        }
        NettyChannelBuilder channelBuilder = NettyChannelBuilder
                .forTarget(StaticResolverProvider.SCHEME + ":///" + String.join(",", hostPorts))
                .defaultLoadBalancingPolicy(b.loadBalancing)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(64 * 1024 * 1024);
        if (tls) {
            try {
                SslContextBuilder ssl = GrpcSslContexts.forClient();
                if (b.trustedCa != null) {
                    ssl.trustManager(b.trustedCa.toFile());
                }
                if (b.cert != null) {
                    ssl.keyManager(b.cert.toFile(), b.key.toFile());
                }
                channelBuilder.sslContext(ssl.build());
                if (b.authority != null) {
                    channelBuilder.overrideAuthority(b.authority);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
            }
        } else {
            channelBuilder.usePlaintext();
        }
        this.channel = channelBuilder.build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-client-timer");
            t.setDaemon(true);
            return t;
        });
        this.calls = new Calls(channel, timer, b.timeout, b.user, b.password);
        this.kv = new Kv(calls);
        this.lease = new Lease(calls);
        this.watch = new Watch(calls);
        this.lock = new Lock(calls, kv);
        this.election = new Election(calls);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Kv kv() {
        return kv;
    }

    public Lease lease() {
        return lease;
    }

    public Watch watch() {
        return watch;
    }

    public Lock lock() {
        return lock;
    }

    public Election election() {
        return election;
    }

    /**
     * Any unary call of the etcd API not wrapped above (maintenance, cluster, auth), made as
     * this client's calls are: its token, its timeout, and retries when {@code idempotent}.
     */
    public <Q, A> CompletableFuture<A> unary(MethodDescriptor<Q, A> method, Q request, boolean idempotent) {
        return calls.unary(method, request, idempotent);
    }

    /** The channel, with the token added, for streams not wrapped above; call {@link #login()} first. */
    public Channel channel() {
        return calls.channel();
    }

    /** Authenticates now (when a user was given) rather than on the first call. */
    public CompletableFuture<Void> login() {
        return calls.ensureToken();
    }

    @Override
    public void close() {
        watch.closeAll();
        lease.closeAll();
        election.closeAll();
        channel.shutdownNow();
        timer.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Endpoints, credentials, TLS and the time a call may take. */
    public static final class Builder {
        private final List<String> endpoints = new ArrayList<>();
        private String user;
        private String password;
        private Path trustedCa;
        private Path cert;
        private Path key;
        private String authority;
        private Duration timeout = Duration.ofSeconds(10);
        private String loadBalancing = "round_robin";

        private Builder() {
        }

        /**
         * gRPC's load-balancing policy over the endpoints: "round_robin" (the default) spreads
         * calls; "pick_first" keeps to the first endpoint that answers, in the order given.
         */
        public Builder loadBalancing(String policy) {
            this.loadBalancing = policy;
            return this;
        }

        /** "http://host:port", "https://host:port" or "host:port"; several for failover. */
        public Builder endpoints(String... urls) {
            endpoints.addAll(List.of(urls));
            return this;
        }

        public Builder endpoints(List<String> urls) {
            endpoints.addAll(urls);
            return this;
        }

        /** Authenticates as this user; the token is renewed by itself. */
        public Builder user(String name, String password) {
            this.user = name;
            this.password = password;
            return this;
        }

        /** TLS, trusting the CAs in this PEM file. */
        public Builder trustedCa(Path pem) {
            this.trustedCa = pem;
            return this;
        }

        /** A client certificate and its key (PEM: PKCS#8, PKCS#1 or SEC1), for servers that require one. */
        public Builder clientCertificate(Path certPem, Path keyPem) {
            this.cert = certPem;
            this.key = keyPem;
            return this;
        }

        /**
         * The name every server's certificate must carry. By default it is the host of the first
         * endpoint: one channel serves all endpoints, so their certificates must all carry it.
         */
        public Builder authority(String serverName) {
            this.authority = serverName;
            return this;
        }

        /** How long one call may take, retries included (default 10 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Client build() {
            return new Client(this);
        }
    }

}
