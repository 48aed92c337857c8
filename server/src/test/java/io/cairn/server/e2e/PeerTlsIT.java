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
import javax.net.ssl.SSLException;
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
            assertThat(handshake(trustOnly(certs.caFile()), peer)).isEqualTo("refused");
        }
    }

    /** "accepted" when the peer keeps the TLS connection open, "refused" when it drops it. */
    private static String handshake(SSLContext context, URI peer) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(peer.getHost(), peer.getPort())) {
            socket.setSoTimeout(1000);
            try {
                socket.startHandshake();
                return socket.getInputStream().read() < 0 ? "refused" : "accepted";
            } catch (SocketTimeoutException e) {
                return "accepted";
            } catch (SSLException e) {
                return "refused";
            } catch (IOException e) {
                return "refused";
            }
        }
    }

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
