package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.OwnedProcesses;
import io.cairn.server.testing.TestCerts;
import io.cairn.server.tls.ServerTls;
import io.cairn.server.tls.TlsConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Three members whose raft traffic runs over mutual TLS; a peer without a certificate is refused. */
@ExtendWith(OwnedProcesses.class)
class PeerTlsIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void etcdctl() {
        Etcdctl.requireInstalled();
    }

    @Test
    void raftTrafficIsEncryptedAndPeersMustPresentACertificate() throws Exception {
        TestCerts certs = new TestCerts(dir.resolve("pki"), "peer-ca");
        certs.issue("peer");
        try (CairnCluster cluster = CairnCluster.start(dir, 3, "--peer-cert-file", certs.cert("peer").toString(),
                "--peer-key-file", certs.key("peer").toString(), "--peer-trusted-ca-file", certs.caFile().toString(),
                "--peer-client-cert-auth")) {
            CairnProcess first = cluster.member(0);
            CairnProcess last = cluster.member(2);
            assertThat(Etcdctl.run(first.endpoint(), "etcdctl put k v").output()).isEqualTo("OK\n");
            assertThat(Etcdctl.run(last.endpoint(), "etcdctl get k").output()).isEqualTo("k\nv\n");
            assertThat(Etcdctl.run(last.endpoint(), "etcdctl member list").output())
                    .contains(cluster.member(1).peerUrl()).contains("https://");

            URI peer = URI.create(cluster.member(1).peerUrl());
            SSLContext withCert = ServerTls.load(new TlsConfig(certs.cert("peer"), certs.key("peer"), certs.caFile(),
                    true, false), dir.resolve("unused"), List.of()).sslContext();
            assertThat(handshake(withCert, peer)).isEqualTo("accepted");
            // TLS 1.3 finishes the client's side of the handshake before the server checks the
            // client's certificate, so the refusal arrives as an alert on the first read, or, when
            // the server has closed by then, as a reset of that read: never as an answer
            String refusal = handshake(trustOnly(certs.caFile()), peer);
            System.out.println("peer TLS: a peer without a certificate got " + refusal);
            assertThat(refusal).isNotEqualTo("accepted").containsAnyOf("certificate_required", "bad_certificate",
                    "handshake_failure", "Connection reset", "Broken pipe");
        }
    }

    /**
     * "accepted" when the peer answers a Bolt heartbeat over the TLS connection (a positive
     * answer, so a peer that merely stays silent is not taken for one that accepted), otherwise
     * what went wrong: the TLS error's text, "closed" or "no answer".
     */
    private static String handshake(SSLContext context, URI peer) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(peer.getHost(), peer.getPort())) {
            socket.setSoTimeout(5000);
            try {
                socket.startHandshake();
                socket.getOutputStream().write(HEARTBEAT);
                socket.getOutputStream().flush();
                byte[] ack = socket.getInputStream().readNBytes(20);
                // protocol 1, type 0 (a response), command 0 (heartbeat), same request id
                boolean heartbeatAck = ack.length == 20 && ack[0] == 1 && ack[1] == 0 && ack[2] == 0 && ack[3] == 0
                        && java.util.Arrays.equals(ack, 5, 9, HEARTBEAT, 5, 9);
                return heartbeatAck ? "accepted" : ack.length == 0 ? "closed" : "unexpected bytes";
            } catch (SocketTimeoutException e) {
                return "no answer";
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    /**
     * A Bolt (SOFAJRaft's transport) protocol-1 heartbeat request, which a Bolt server always
     * acknowledges: protocol 1, type 1 (request), command 0 (heartbeat), version 1, request
     * id 7, codec 1, timeout 1000 ms, and empty class, header and content.
     */
    private static final byte[] HEARTBEAT = {1, 1, 0, 0, 1, 0, 0, 0, 7, 1, 0, 0, 3, (byte) 0xe8, 0, 0, 0, 0, 0, 0, 0, 0};

    private static SSLContext trustOnly(Path ca) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ServerTls.certificates(ca).get(0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
