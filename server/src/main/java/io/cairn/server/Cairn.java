package io.cairn.server;

import io.cairn.server.api.ClientServer;
import io.cairn.server.api.ClientServer.ListenFailure;
import io.cairn.server.node.AuthConfig;
import io.cairn.server.node.AutoCompaction;
import io.cairn.server.node.CairnNode;
import io.cairn.server.node.ConfigLimits;
import io.cairn.server.node.NodeConfig;
import io.cairn.server.node.Restore;
import io.cairn.server.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code cairn} launcher: etcd's flags (each also read from a {@code CAIRN_*} variable),
 * one clear line and a non-zero exit for bad flags or an unusable port or data dir, and a clean
 * shutdown on SIGTERM.
 */
@Command(name = "cairn", mixinStandardHelpOptions = false, sortOptions = false,
        description = "A strongly consistent coordination store speaking etcd's v3 API.")
public final class Cairn implements java.util.concurrent.Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Cairn.class);

    @Option(names = "--name", defaultValue = "${env:CAIRN_NAME:-default}",
            description = "Human-readable name for this member (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--data-dir", defaultValue = "${env:CAIRN_DATA_DIR:-./data}",
            description = "Path to the data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--listen-client-http-urls", defaultValue = "${env:CAIRN_LISTEN_CLIENT_HTTP_URLS:-}",
            description = "Comma-separated URLs for the HTTP/JSON gateway, /health, /version and /metrics, which "
                    + "then leave the client URLs, as in etcd (default: none, they are served on the client URLs).")
    String listenClientHttpUrls;

    @Option(names = "--listen-client-urls", defaultValue = "${env:CAIRN_LISTEN_CLIENT_URLS:-http://127.0.0.1:2379}",
            description = "Comma-separated URLs to listen on for client traffic (default: ${DEFAULT-VALUE}).")
    String listenClientUrls;

    @Option(names = "--advertise-client-urls", defaultValue = "${env:CAIRN_ADVERTISE_CLIENT_URLS}",
            description = "Comma-separated client URLs to advertise (default: the listen client URLs).")
    String advertiseClientUrls;

    @Option(names = "--listen-peer-urls", defaultValue = "${env:CAIRN_LISTEN_PEER_URLS:-http://127.0.0.1:2380}",
            description = "URL to listen on for peer (raft) traffic (default: ${DEFAULT-VALUE}).")
    String listenPeerUrls;

    @Option(names = "--initial-advertise-peer-urls", defaultValue = "${env:CAIRN_INITIAL_ADVERTISE_PEER_URLS}",
            description = "This member's peer URL as the other members reach it (default: the listen peer URL).")
    String initialAdvertisePeerUrls;

    @Option(names = "--initial-cluster", defaultValue = "${env:CAIRN_INITIAL_CLUSTER}",
            description = "Initial members, name=peer-url,... (default: this member alone).")
    String initialCluster;

    @Option(names = "--initial-cluster-state", defaultValue = "${env:CAIRN_INITIAL_CLUSTER_STATE:-new}",
            description = "new or existing (default: ${DEFAULT-VALUE}).")
    String initialClusterState;

    @Option(names = "--strict-reconfig-check", defaultValue = "${env:CAIRN_STRICT_RECONFIG_CHECK:-true}", arity = "0..1",
            description = "Refuse membership changes that could cost the cluster its quorum (default: ${DEFAULT-VALUE}).")
    boolean strictReconfigCheck;

    @Option(names = "--initial-cluster-token", defaultValue = "${env:CAIRN_INITIAL_CLUSTER_TOKEN:-etcd-cluster}",
            description = "Token distinguishing this cluster during bootstrap (default: ${DEFAULT-VALUE}).")
    String initialClusterToken;

    @Option(names = "--quota-backend-bytes", defaultValue = "${env:CAIRN_QUOTA_BACKEND_BYTES:-0}",
            description = "Database size that raises the NOSPACE alarm; 0 for the default of 2 GiB.")
    long quotaBackendBytes;

    @Option(names = "--auto-compaction-mode", defaultValue = "${env:CAIRN_AUTO_COMPACTION_MODE:-periodic}",
            description = "periodic (keep a duration of history) or revision (keep a number of revisions) (default: ${DEFAULT-VALUE}).")
    String autoCompactionMode;

    @Option(names = "--auto-compaction-retention", defaultValue = "${env:CAIRN_AUTO_COMPACTION_RETENTION:-1h}",
            description = "History to keep: periodic, a duration (1h, 30m, 10s; a bare number is hours); "
                    + "revision, a number of revisions; 0 turns auto-compaction off (default: ${DEFAULT-VALUE}).")
    String autoCompactionRetention;

    /** For tests: etcd's revision-mode compactor runs every 5 minutes, too slow to watch. */
    @Option(names = "--auto-compaction-revision-interval", hidden = true,
            defaultValue = "${env:CAIRN_AUTO_COMPACTION_REVISION_INTERVAL:-300000}",
            description = "How often (ms) revision mode compacts (default: ${DEFAULT-VALUE}).")
    long autoCompactionRevisionIntervalMs;

    @Option(names = "--max-request-bytes", defaultValue = "${env:CAIRN_MAX_REQUEST_BYTES:-1572864}",
            description = "Largest client request accepted, in bytes (default: ${DEFAULT-VALUE}).")
    int maxRequestBytes;

    @Option(names = "--max-txn-ops", defaultValue = "${env:CAIRN_MAX_TXN_OPS:-128}",
            description = "Most operations in one txn branch (default: ${DEFAULT-VALUE}).")
    int maxTxnOps;

    @Option(names = "--config-history-versions", defaultValue = "${env:CAIRN_CONFIG_HISTORY_VERSIONS:-100}",
            description = "Versions of each config its history keeps (default: ${DEFAULT-VALUE}).")
    int configHistoryVersions;

    @Option(names = "--secrets-key-file", defaultValue = "${env:CAIRN_SECRETS_KEY_FILE}",
            description = "The master key for config secrets: a Tink AEAD keyset in JSON (cairnctl secrets keygen "
                    + "makes one; every member needs the same). CAIRN_SECRETS_KEY may hold the JSON itself instead.")
    Path secretsKeyFile;

    @Option(names = "--config-max-bytes", defaultValue = "${env:CAIRN_CONFIG_MAX_BYTES:-1048576}",
            description = "Largest config content accepted, in bytes (default: ${DEFAULT-VALUE}).")
    int configMaxBytes;

    @Option(names = "--cert-file", defaultValue = "${env:CAIRN_CERT_FILE}",
            description = "PEM certificate for client connections (https client URLs).")
    Path certFile;

    @Option(names = "--key-file", defaultValue = "${env:CAIRN_KEY_FILE}",
            description = "PEM private key of --cert-file.")
    Path keyFile;

    @Option(names = "--trusted-ca-file", defaultValue = "${env:CAIRN_TRUSTED_CA_FILE}",
            description = "PEM CAs that sign client certificates.")
    Path trustedCaFile;

    @Option(names = "--client-cert-auth", defaultValue = "${env:CAIRN_CLIENT_CERT_AUTH:-false}",
            description = "Require a client certificate signed by --trusted-ca-file; its CN is the user.")
    boolean clientCertAuth;

    @Option(names = "--auto-tls", defaultValue = "${env:CAIRN_AUTO_TLS:-false}",
            description = "Serve clients over TLS with a generated self-signed certificate.")
    boolean autoTls;

    @Option(names = "--peer-cert-file", defaultValue = "${env:CAIRN_PEER_CERT_FILE}",
            description = "PEM certificate for raft traffic (https peer URLs).")
    Path peerCertFile;

    @Option(names = "--peer-key-file", defaultValue = "${env:CAIRN_PEER_KEY_FILE}",
            description = "PEM private key of --peer-cert-file.")
    Path peerKeyFile;

    @Option(names = "--peer-trusted-ca-file", defaultValue = "${env:CAIRN_PEER_TRUSTED_CA_FILE}",
            description = "PEM CAs that sign the members' peer certificates.")
    Path peerTrustedCaFile;

    @Option(names = "--peer-client-cert-auth", defaultValue = "${env:CAIRN_PEER_CLIENT_CERT_AUTH:-false}",
            description = "Require members connecting to this one to present a certificate.")
    boolean peerClientCertAuth;

    @Option(names = "--auth-token", defaultValue = "${env:CAIRN_AUTH_TOKEN:-simple}",
            description = "simple, or jwt,pub-key=<pem>,priv-key=<pem>,sign-method=RS256,ttl=5m (default: ${DEFAULT-VALUE}).")
    String authToken;

    @Option(names = "--auth-token-ttl", defaultValue = "${env:CAIRN_AUTH_TOKEN_TTL:-300}",
            description = "Seconds an unused simple token lives (default: ${DEFAULT-VALUE}).")
    long authTokenTtl;

    @Option(names = "--bcrypt-cost", defaultValue = "${env:CAIRN_BCRYPT_COST:-10}",
            description = "Cost of password hashes, 4 to 31 (default: ${DEFAULT-VALUE}).")
    int bcryptCost;

    @Option(names = "--heartbeat-interval", defaultValue = "${env:CAIRN_HEARTBEAT_INTERVAL:-100}",
            description = "Raft heartbeat interval in ms (default: ${DEFAULT-VALUE}).")
    int heartbeatIntervalMs;

    @Option(names = "--election-timeout", defaultValue = "${env:CAIRN_ELECTION_TIMEOUT:-1000}",
            description = "Raft election timeout in ms (default: ${DEFAULT-VALUE}).")
    int electionTimeoutMs;

    @Option(names = "--snapshot-count", defaultValue = "${env:CAIRN_SNAPSHOT_COUNT:-100000}",
            description = "Applied entries between raft snapshots; the raft log is truncated after each (default: ${DEFAULT-VALUE}).")
    long snapshotCount;

    @Option(names = "--max-snapshots", defaultValue = "${env:CAIRN_MAX_SNAPSHOTS:-5}",
            description = "Raft snapshots kept on disk (default: ${DEFAULT-VALUE}).")
    int maxSnapshots;

    @Option(names = "--lease-checkpoint-interval", defaultValue = "${env:CAIRN_LEASE_CHECKPOINT_INTERVAL:-300000}",
            description = "How often (ms) the leader records how long leases have left, so a new leader keeps their remaining TTL (default: ${DEFAULT-VALUE}).")
    long leaseCheckpointIntervalMs;

    @Option(names = "--restore-from", defaultValue = "${env:CAIRN_RESTORE_FROM}",
            description = "A file saved with 'etcdctl snapshot save': seed the (new, empty) data dir from it, then start.")
    Path restoreFrom;

    @Option(names = "--version", description = "Print the version and exit.")
    boolean version;

    @Option(names = "--secrets-keygen", description = "Print a new master key for --secrets-key-file (a Tink "
            + "AES-256-GCM keyset in JSON) and exit.")
    boolean secretsKeygen;

    @Option(names = "--secrets-add-key", paramLabel = "FILE", description = "Add a new primary key to the master key "
            + "FILE, keeping the old ones, and exit: give every member the new file, then run cairnctl secrets rotate.")
    Path secretsAddKey;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Cairn())
                .setParameterExceptionHandler((e, a) -> {
                    System.err.println("cairn: " + e.getMessage());
                    return 2;
                });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        if (version) {
            printVersion(System.out);
            return 0;
        }
        if (secretsKeygen) {
            System.out.println(io.cairn.server.secrets.MasterKey.generate());
            return 0;
        }
        if (secretsAddKey != null) {
            try {
                // written beside it, then moved over it: a member reading the file never sees half of it
                Path next = secretsAddKey.resolveSibling(secretsAddKey.getFileName() + ".next");
                java.nio.file.Files.writeString(next,
                        io.cairn.server.secrets.MasterKey.rotate(java.nio.file.Files.readString(secretsAddKey)));
                java.nio.file.Files.setPosixFilePermissions(next, java.nio.file.Files.getPosixFilePermissions(secretsAddKey));
                java.nio.file.Files.move(next, secretsAddKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                System.out.println("Added a new primary key to " + secretsAddKey);
                return 0;
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("cairn: " + secretsAddKey + ": " + e.getMessage());
                return 1;
            }
        }
        NodeConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("cairn: " + e.getMessage());
            return 2;
        }
        String busy = firstBusyPort(config);
        if (busy != null) {
            System.err.println("cairn: cannot listen on " + busy + ": address already in use");
            return 1;
        }
        if (restoreFrom != null) {
            try {
                Restore.restore(restoreFrom, config);
                log.info("Restored {} into {}", restoreFrom, config.dataDir());
            } catch (IOException e) {
                System.err.println("cairn: cannot restore " + restoreFrom + ": " + describe(e));
                return 1;
            }
        }
        CairnNode node;
        try {
            // as etcd, a removed member stops: the shutdown hook closes it cleanly
            node = CairnNode.start(config, () -> new Thread(() -> System.exit(0), "cairn-removed").start());
        } catch (IOException | RuntimeException e) {
            System.err.println("cairn: cannot use data dir " + config.dataDir() + ": " + describe(e));
            return 1;
        }
        ClientServer server;
        try {
            server = ClientServer.start(node, config.listenClientUrls(), config.listenClientHttpUrls());
        } catch (IOException e) {
            System.err.println("cairn: " + (e instanceof ListenFailure ? e.getMessage()
                    : "cannot listen for clients on " + config.listenClientUrls() + ": " + describe(e)));
            closeQuietly(node);
            return 1;
        }
        log.info("Member {} ({}) of cluster {} serving clients on {} (gRPC{}){}", config.name(),
                Long.toHexString(node.memberId()), Long.toHexString(node.clusterId()), config.listenClientUrls(),
                config.listenClientHttpUrls().isEmpty() ? " and HTTP" : "",
                config.listenClientHttpUrls().isEmpty() ? "" : " and " + config.listenClientHttpUrls() + " (HTTP)");
        awaitShutdown(node, server);
        return 0;
    }

    private static void awaitShutdown(CairnNode node, ClientServer server) {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopping.compareAndSet(false, true)) {
                log.info("Shutting down");
                try {
                    server.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                closeQuietly(node);
                log.info("Stopped");
                stopped.countDown();
            }
        }, "cairn-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(CairnNode node) {
        try {
            node.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    NodeConfig config() {
        TlsConfig clientTls = new TlsConfig(certFile, keyFile, trustedCaFile, clientCertAuth, autoTls);
        List<URI> clientUrls = urls("--listen-client-urls", listenClientUrls, clientTls.enabled());
        List<URI> advertised = advertiseClientUrls == null || advertiseClientUrls.isBlank()
                ? clientUrls : urls("--advertise-client-urls", advertiseClientUrls, clientTls.enabled());
        List<URI> httpUrls = listenClientHttpUrls == null || listenClientHttpUrls.isBlank() ? List.of()
                : urls("--listen-client-http-urls", listenClientHttpUrls, clientTls.enabled());
        TlsConfig peerTls = new TlsConfig(peerCertFile, peerKeyFile, peerTrustedCaFile, peerClientCertAuth, false);
        if (peerTls.enabled() && peerTrustedCaFile == null) {
            throw new IllegalArgumentException("peer TLS needs --peer-trusted-ca-file: members trust each other through it");
        }
        List<URI> peerUrls = urls("--listen-peer-urls", listenPeerUrls, peerTls.enabled());
        if (peerUrls.size() != 1) {
            throw new IllegalArgumentException("--listen-peer-urls takes one URL, got " + peerUrls.size());
        }
        URI peerUrl = peerUrls.get(0);
        URI advertisedPeer = initialAdvertisePeerUrls == null || initialAdvertisePeerUrls.isBlank()
                ? peerUrl : urls("--initial-advertise-peer-urls", initialAdvertisePeerUrls, peerTls.enabled()).get(0);
        Map<String, URI> cluster = initialCluster == null || initialCluster.isBlank()
                ? Map.of(name, advertisedPeer) : cluster(initialCluster, peerTls.enabled());
        if (!cluster.containsKey(name)) {
            throw new IllegalArgumentException("--initial-cluster has no member named " + name);
        }
        if (!cluster.get(name).equals(advertisedPeer)) {
            throw new IllegalArgumentException("--initial-cluster gives " + name + " the peer URL "
                    + cluster.get(name) + " but this member advertises " + advertisedPeer);
        }
        if (!initialClusterState.equals("new") && !initialClusterState.equals("existing")) {
            throw new IllegalArgumentException("--initial-cluster-state must be new or existing, got " + initialClusterState);
        }
        if (quotaBackendBytes < 0) {
            throw new IllegalArgumentException("--quota-backend-bytes must not be negative");
        }
        if (maxRequestBytes <= 0 || maxTxnOps <= 0) {
            throw new IllegalArgumentException("--max-request-bytes and --max-txn-ops must be positive");
        }
        if (configHistoryVersions <= 0 || configMaxBytes <= 0) {
            throw new IllegalArgumentException("--config-history-versions and --config-max-bytes must be positive");
        }
        if (leaseCheckpointIntervalMs <= 0) {
            throw new IllegalArgumentException("--lease-checkpoint-interval must be positive");
        }
        if (snapshotCount <= 0 || maxSnapshots <= 0) {
            throw new IllegalArgumentException("--snapshot-count and --max-snapshots must be positive");
        }
        if (heartbeatIntervalMs <= 0 || electionTimeoutMs < 5 * heartbeatIntervalMs) {
            throw new IllegalArgumentException("--election-timeout must be at least 5 times --heartbeat-interval");
        }
        AutoCompaction autoCompaction = AutoCompaction.parse(autoCompactionMode, autoCompactionRetention,
                autoCompactionRevisionIntervalMs);
        return new NodeConfig(name, dataDir, clientUrls, advertised, peerUrl, advertisedPeer, cluster,
                initialClusterState, initialClusterToken,
                quotaBackendBytes == 0 ? NodeConfig.DEFAULT_QUOTA_BYTES : quotaBackendBytes,
                maxRequestBytes, maxTxnOps, electionTimeoutMs, heartbeatIntervalMs, snapshotCount, maxSnapshots,
                leaseCheckpointIntervalMs, new AuthConfig(authToken, authTokenTtl, bcryptCost), clientTls,
                httpUrls, peerTls, autoCompaction, new ConfigLimits(configHistoryVersions, configMaxBytes),
                io.cairn.server.secrets.MasterKey.load(secretsKeyFile, System.getenv("CAIRN_SECRETS_KEY")),
                strictReconfigCheck);
    }

    private static List<URI> urls(String flag, String value) {
        return urls(flag, value, false);
    }

    /** With TLS, client URLs must be https; without, http, as etcd insists. */
    private static List<URI> urls(String flag, String value, boolean tls) {
        List<URI> urls = new ArrayList<>();
        for (String part : value.split(",")) {
            URI url = url(flag, part.trim().replaceFirst("^https://", "http://"));
            boolean https = part.trim().startsWith("https://");
            if (https != tls) {
                throw new IllegalArgumentException(flag + ": " + (https
                        ? "https needs a certificate and key (or --auto-tls for clients): " : "TLS is configured, so use https: ")
                        + part.trim());
            }
            urls.add(https ? URI.create(part.trim()) : url);
        }
        return urls;
    }

    private static URI url(String flag, String value) {
        URI url;
        try {
            url = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(flag + ": expected http://host:port, got " + value);
        }
        if ("https".equals(url.getScheme())) {
            throw new IllegalArgumentException(flag + ": https is not served on this port yet: " + value);
        }
        if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException(flag + ": expected http://host:port, got " + value);
        }
        return url;
    }

    private static Map<String, URI> cluster(String value, boolean tls) {
        Map<String, URI> members = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--initial-cluster: expected name=url, got " + part);
            }
            String member = part.substring(0, eq).trim();
            if (members.put(member, urls("--initial-cluster", part.substring(eq + 1).trim(), tls).get(0)) != null) {
                throw new IllegalArgumentException("--initial-cluster names " + member + " twice");
            }
        }
        return members;
    }

    /** The first listen URL someone else holds, or null; checked before anything starts. */
    private static String firstBusyPort(NodeConfig config) {
        List<URI> all = new ArrayList<>(config.listenClientUrls());
        all.addAll(config.listenClientHttpUrls());
        all.add(config.listenPeerUrl());
        for (URI url : all) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(url.getHost(), url.getPort()));
            } catch (IOException e) {
                return url.getHost() + ":" + url.getPort();
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof BindException) {
            return "address already in use";
        }
        if (root instanceof FileAlreadyExistsException || root instanceof NotDirectoryException) {
            return root.getMessage() + " is not a directory";
        }
        if (root instanceof AccessDeniedException) {
            return "permission denied on " + root.getMessage();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    static void printVersion(PrintStream out) {
        Properties p = new Properties();
        try (InputStream in = Cairn.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // the version file is part of the jar; without it the fields read "unknown"
        }
        out.println("Cairn Version: " + p.getProperty("version", "unknown"));
        out.println("Git SHA: " + p.getProperty("git.sha", "unknown"));
        out.println("Java Version: " + System.getProperty("java.version"));
        out.println("OS/Arch: " + System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/" + arch());
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}
