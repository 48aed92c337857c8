package io.cairn.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * A server's TLS identity and trust, read from PEM files (or generated for auto-tls), ready for
 * any JSSE-based server: key managers, trust managers (when client certificates are verified),
 * and whether a client certificate is required.
 */
public final class ServerTls {
    private final KeyManagerFactory keys;
    private final TrustManagerFactory trust;
    private final boolean clientCertAuth;

    private ServerTls(KeyManagerFactory keys, TrustManagerFactory trust, boolean clientCertAuth) {
        this.keys = keys;
        this.trust = trust;
        this.clientCertAuth = clientCertAuth;
    }

    /**
     * @param autoDir where auto-tls keeps its self-signed certificate ({@code cert.pem},
     *                {@code key.pem}); reused while present
     * @param hosts   the names and addresses the generated certificate is for
     */
    public static ServerTls load(TlsConfig config, Path autoDir, List<String> hosts) throws IOException {
        Path cert = config.certFile();
        Path key = config.keyFile();
        if (cert == null) {
            cert = autoDir.resolve("cert.pem");
            key = autoDir.resolve("key.pem");
            if (!Files.exists(cert) || !Files.exists(key)) {
                selfSigned(cert, key, hosts);
            }
        }
        try {
            List<X509Certificate> chain = certificates(cert);
            if (chain.isEmpty()) {
                throw new IOException("no certificate in " + cert);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("cairn", privateKey(key), new char[0], chain.toArray(new X509Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            TrustManagerFactory trust = null;
            if (config.trustedCaFile() != null) {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(config.trustedCaFile())) {
                    cas.setCertificateEntry("ca" + i++, ca);
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(cas);
            }
            return new ServerTls(keys, trust, config.clientCertAuth());
        } catch (GeneralSecurityException e) {
            throw new IOException("unusable TLS key or certificate: " + e.getMessage(), e);
        }
    }

    public KeyManagerFactory keyManagers() {
        return keys;
    }

    /** Null when client certificates are not verified. */
    public TrustManagerFactory trustManagers() {
        return trust;
    }

    public boolean clientCertAuth() {
        return clientCertAuth;
    }

    public SSLContext sslContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    public static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        }
        return certs;
    }

    static PrivateKey privateKey(Path pem) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) { // PKCS#1 or SEC1, whose public half may be absent
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException("no private key in " + pem);
    }

    /** A self-signed EC P-256 certificate for {@code hosts}, valid for a year, as etcd's auto-tls. */
    static void selfSigned(Path cert, Path key, List<String> hosts) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("O=cairn,CN=cairn-auto-tls");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String host : hosts) {
                boolean ip = host.matches("[0-9.]+") || host.contains(":");
                names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(new GeneralName[0])));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            Files.createDirectories(cert.getParent());
            write(cert, certificate);
            write(key, new JcaPKCS8Generator(pair.getPrivate(), null)); // PKCS#8, which every client reads
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, Object pem) throws IOException {
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            writer.writeObject(pem);
        }
    }
}
