package io.cairn.client;

import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection to a Cairn (or etcd) cluster: one gRPC channel over all endpoints, spreading
 * calls across them and leaving out those that fail, with one getter per service. All of a
 * client's watchers share one stream, and all its kept-alive leases another. A client is
 * thread-safe and meant to be shared: make one per cluster, and close it when done.
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
    /**
     * The client's own network threads, ended by {@link #close}: gRPC's shared ones outlive a
     * closed channel by a second, and a JVM exits only after waiting up to 300 ms for threads
     * blocked in native code such as a selector, which made every cairnctl command that much
     * slower. One per endpoint, as each endpoint's connection keeps to one; started lazily.
     */
    private final EventLoopGroup eventLoops;
    private final ScheduledExecutorService timer;
    private final ExecutorService listeners;
    private final Calls calls;
    private final Kv kv;
    private final Lease lease;
    private final Watch watch;
    private final Lock lock;
    private final Election election;
    private final Cluster cluster;
    private final Maintenance maintenance;
    private final Auth auth;
    private final Discovery discovery;
    private final Configs configs;

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
        // each endpoint's certificate is checked for that endpoint's own host name, as etcd's clients do
        String target = StaticResolverProvider.SCHEME + ":///" + String.join(",", hostPorts)
                + (b.authority == null ? "?" + StaticResolverProvider.OWN_NAMES : "");
        NettyChannelBuilder channelBuilder = NettyChannelBuilder
                .forTarget(target)
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
        // made last: its selectors are open from the start, and a bad TLS file above would leak them
        this.eventLoops = new MultiThreadIoEventLoopGroup(hostPorts.size(),
                new DefaultThreadFactory("cairn-client-io", true), NioIoHandler.newFactory());
        this.channel = channelBuilder.eventLoopGroup(eventLoops).channelType(NioSocketChannel.class).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("cairn-client-timer"));
        this.listeners = Executors.newCachedThreadPool(daemon("cairn-listener"));
        this.calls = new Calls(channel, timer, b.timeout, b.user, b.password);
        this.kv = new Kv(calls);
        this.lease = new Lease(calls);
        this.watch = new Watch(calls, listeners);
        this.lock = new Lock(calls, kv);
        this.election = new Election(calls);
        this.cluster = new Cluster(calls);
        this.maintenance = new Maintenance(calls);
        this.auth = new Auth(calls);
        this.discovery = new Discovery(calls, lease, listeners);
        io.cairn.api.config.ClientInfo self = ConfigWire.client(b.clientId, b.labels);
        this.configs = new Configs(calls, listeners, self,
                b.configSnapshots == null ? null : new ConfigSnapshots(b.configSnapshots, listeners),
                b.configReceipts ? new ConfigReceipts(calls, lease, self, RECEIPTS_TTL) : null);
    }

    /** The lease a client's rollout receipts hang on: they go this long after the client dies. */
    private static final Duration RECEIPTS_TTL = Duration.ofSeconds(10);

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A builder: give at least one endpoint. */
    public static Builder builder() {
        return new Builder();
    }

    /** Keys and values: get, put, delete, txn, compact. */
    public Kv kv() {
        return kv;
    }

    /** Leases: grant, revoke, time to live, keep-alive. */
    public Lease lease() {
        return lease;
    }

    /** Watches, all over one stream. */
    public Watch watch() {
        return watch;
    }

    /** Distributed locks with fencing tokens. */
    public Lock lock() {
        return lock;
    }

    /** Leader election. */
    public Election election() {
        return election;
    }

    /** Members: list, add, remove, update, promote. */
    public Cluster cluster() {
        return cluster;
    }

    /** Status, alarms, defragmentation, hashes, snapshots, leadership transfer. */
    public Maintenance maintenance() {
        return maintenance;
    }

    /** Users, roles, permissions; enabling and disabling authentication. */
    public Auth auth() {
        return auth;
    }

    /** Service discovery: register instances, look them up, subscribe, choose one per request. */
    public Discovery discovery() {
        return discovery;
    }

    /** The config center: publish, read, list and listen to configs, gray releases, audit. */
    public Configs config() {
        return configs;
    }

    /**
     * A new {@link Session}: a lease of {@code ttl} (whole seconds, at least one) kept alive
     * until the session is closed or lost.
     */
    public CompletableFuture<Session> session(Duration ttl) {
        return Session.open(lease, calls, ttl);
    }

    /** Authenticates now (when a user was given) rather than on the first call. */
    public CompletableFuture<Void> login() {
        return calls.ensureToken();
    }

    /**
     * Closes the client: watchers, service subscriptions, config listens and election observers
     * stop without being told (the config snapshot files still being written are written first), kept-alive leases stop being renewed (sessions and leased registrations then
     * end within their TTL; close them first to end them at once), and calls still under way fail
     * with CANCELLED or UNAVAILABLE.
     */
    @Override
    public void close() {
        watch.closeAll();
        discovery.closeAll();
        configs.closeAll();
        lease.closeAll();
        election.closeAll();
        channel.shutdownNow();
        timer.shutdownNow();
        listeners.shutdown();
        boolean wait = !calledFromEventLoop();
        try {
            if (wait) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
            // after the channel: its connections close on these threads
            eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            if (wait) {
                eventLoops.terminationFuture().await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            Thread.currentThread().interrupt();
        }
    }

    /** A close from one of the client's own network threads cannot wait for it to end. */
    private boolean calledFromEventLoop() {
        for (EventExecutor loop : eventLoops) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
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
        private String clientId = UUID.randomUUID().toString();
        private Map<String, String> labels = Map.of();
        private Path configSnapshots;
        private boolean configReceipts = true;

        private Builder() {
        }

        /**
         * Whether the client reports, for each config its listeners are told, the version they
         * were told and whether they all took it (else the first failure), so that the config
         * center's rollout status shows which instance runs what: on by default. The reports
         * hang on a lease of the client's own, so they go when the client closes or dies. Tools
         * that only watch configs (a console, a CLI) turn it off.
         */
        public Builder configReceipts(boolean report) {
            this.configReceipts = report;
            return this;
        }

        /**
         * Who this client is to the config center's gray releases, whose percentage rules choose
         * clients by a hash of their ids: keep it stable across restarts (a host name, a pod
         * name) for an instance to stay in or out of a release. By default a random id, the same
         * for the client's life.
         */
        public Builder clientId(String id) {
            // the config center refuses other ids (a receipt's key holds it), so refuse them here, at once
            this.clientId = io.cairn.client.config.ConfigKey.checkName("client id", id);
            return this;
        }

        /** Labels (zone, version, role ...) a gray release's rules may match on; none by default. */
        public Builder labels(Map<String, String> labels) {
            this.labels = Map.copyOf(labels);
            return this;
        }

        /**
         * Keeps a copy of every config version the client gets or is told in this directory,
         * so that a get or a first listen that cannot reach the cluster is answered with the
         * last version seen (marked {@link io.cairn.client.config.Config#fromSnapshot()}). None
         * by default.
         */
        public Builder configSnapshots(Path dir) {
            this.configSnapshots = dir;
            return this;
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

        /** The same as {@link #endpoints(String...)}. */
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
         * The name every server's certificate must carry, whatever the endpoint. By default each
         * endpoint's certificate must carry that endpoint's own host (name or address).
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

        /**
         * The client; it connects lazily, so building never fails for an unreachable cluster.
         *
         * @throws IllegalArgumentException with no endpoints
         * @throws java.io.UncheckedIOException when a TLS file cannot be read
         */
        public Client build() {
            return new Client(this);
        }
    }

}
