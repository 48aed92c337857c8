package io.cairn.server.node;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a member needs to start, already validated.
 *
 * @param name                 this member's name in {@code initialCluster}
 * @param dataDir              root of the member's data
 * @param listenClientUrls     where clients connect (gRPC)
 * @param advertiseClientUrls  what other members and clients are told
 * @param listenPeerUrl        where raft traffic arrives
 * @param advertisePeerUrl     what the other members use to reach this one
 * @param initialCluster       member name to advertised peer URL, in flag order
 * @param initialClusterState  {@code new} or {@code existing}
 * @param initialClusterToken  distinguishes clusters built from the same peer URLs
 * @param quotaBackendBytes    the database size at which the NOSPACE alarm is raised
 * @param maxRequestBytes      the largest request accepted
 * @param maxTxnOps            the most operations in one branch of a txn
 * @param electionTimeoutMs    raft election timeout
 * @param heartbeatIntervalMs  raft heartbeat interval
 * @param snapshotCount        applied entries between raft snapshots
 * @param maxSnapshots         raft snapshots kept on disk
 * @param leaseCheckpointIntervalMs how often the leader checkpoints the leases' remaining TTLs
 * @param auth                 tokens and password hashing
 * @param clientTls            TLS for client connections (off unless configured)
 * @param listenClientHttpUrls where the HTTP/JSON gateway listens; empty for none
 * @param peerTls              TLS for raft traffic (off unless configured)
 * @param autoCompaction       how the leader compacts history by itself
 * @param configLimits         the config center's history and size limits
 * @param masterKey            the master key that wraps the config center's data keys (may be none)
 * @param strictReconfigCheck  whether the leader refuses membership changes that could cost the quorum
 */
public record NodeConfig(
        String name,
        Path dataDir,
        List<URI> listenClientUrls,
        List<URI> advertiseClientUrls,
        URI listenPeerUrl,
        URI advertisePeerUrl,
        Map<String, URI> initialCluster,
        String initialClusterState,
        String initialClusterToken,
        long quotaBackendBytes,
        int maxRequestBytes,
        int maxTxnOps,
        int electionTimeoutMs,
        int heartbeatIntervalMs,
        long snapshotCount,
        int maxSnapshots,
        long leaseCheckpointIntervalMs,
        AuthConfig auth,
        io.cairn.server.tls.TlsConfig clientTls,
        List<URI> listenClientHttpUrls,
        io.cairn.server.tls.TlsConfig peerTls,
        AutoCompaction autoCompaction,
        ConfigLimits configLimits,
        io.cairn.server.secrets.MasterKey masterKey,
        boolean strictReconfigCheck) {

    public static final long DEFAULT_QUOTA_BYTES = 2L << 30;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
    public static final int DEFAULT_MAX_TXN_OPS = 128;

    public Path dbDir() {
        return dataDir.resolve("member").resolve("db");
    }

    /** Where auto-tls keeps the self-signed client certificate, as etcd's fixtures/client. */
    public Path autoTlsDir() {
        return dataDir.resolve("fixtures").resolve("client");
    }

    public Path raftDir() {
        return dataDir.resolve("member").resolve("raft");
    }
}
