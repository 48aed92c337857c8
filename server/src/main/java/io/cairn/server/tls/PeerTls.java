package io.cairn.server.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * TLS for raft traffic. JRaft's transport (SOFABolt) takes its TLS setup only from a keystore
 * file named in system properties, for its servers and its clients alike, so this writes the
 * member's key, certificate and trusted CAs into one PKCS#12 file (readable by the owner
 * only, under a random password) and points Bolt at it. Bolt uses the same store to trust
 * peers, which is why peer TLS needs --peer-trusted-ca-file; it checks the CA chain, not the
 * peer's host name.
 */
public final class PeerTls {
    private PeerTls() {
    }

    /** Call before raft starts. */
    public static void install(TlsConfig config, Path dir) throws IOException {
        if (config.certFile() == null || config.trustedCaFile() == null) {
            throw new IllegalArgumentException(
                    "peer TLS needs --peer-cert-file, --peer-key-file and --peer-trusted-ca-file");
        }
        String password = HexFormat.of().formatHex(SecureRandom.getSeed(16));
        Path store = dir.resolve("peer.p12");
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<X509Certificate> chain = ServerTls.certificates(config.certFile());
            keys.setKeyEntry("peer", ServerTls.privateKey(config.keyFile()), password.toCharArray(),
                    chain.toArray(new X509Certificate[0]));
            int i = 0;
            for (X509Certificate ca : ServerTls.certificates(config.trustedCaFile())) {
                keys.setCertificateEntry("ca" + i++, ca);
            }
            Files.createDirectories(dir);
            Files.deleteIfExists(store);
            Files.createFile(store, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(store)) {
                keys.store(out, password.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("unusable peer TLS key or certificate: " + e.getMessage(), e);
        }
        for (String side : new String[] {"server", "client"}) {
            System.setProperty("bolt." + side + ".ssl.enable", "true");
            System.setProperty("bolt." + side + ".ssl.keystore", store.toString());
            System.setProperty("bolt." + side + ".ssl.keystore.password", password);
            System.setProperty("bolt." + side + ".ssl.keystore.type", "PKCS12");
        }
        System.setProperty("bolt.server.ssl.clientAuth", Boolean.toString(config.clientCertAuth()));
    }
}
