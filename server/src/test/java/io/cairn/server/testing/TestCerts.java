package io.cairn.server.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and the certificates it signs, written as PEM files, for TLS tests. */
public final class TestCerts {
    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private long serial = 1;

    public TestCerts(Path dir, String caName) throws IOException, GeneralSecurityException {
        this.dir = Files.createDirectories(dir);
        this.caKeys = rsa();
        this.ca = sign(new X500Name("CN=" + caName), caKeys, new X500Name("CN=" + caName), caKeys, true, null);
        write(dir.resolve(caName + ".pem"), ca);
    }

    public Path caFile() {
        return dir.resolve(ca.getSubjectX500Principal().getName().substring(3) + ".pem");
    }

    /** Writes {@code name}.pem and {@code name}.key: a certificate with CN {@code name}, for loopback. */
    public Path issue(String name) throws IOException, GeneralSecurityException {
        return issue(name, "127.0.0.1", "localhost");
    }

    /** The same, valid only for {@code hosts} (addresses or DNS names). */
    public Path issue(String name, String... hosts) throws IOException, GeneralSecurityException {
        KeyPair keys = rsa();
        GeneralName[] names = new GeneralName[hosts.length];
        for (int i = 0; i < hosts.length; i++) {
            boolean address = hosts[i].chars().allMatch(c -> Character.isDigit(c) || c == '.');
            names[i] = new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, hosts[i]);
        }
        X509Certificate cert = sign(new X500Name("CN=" + name), keys,
                new X500Name(ca.getSubjectX500Principal().getName()), caKeys, false, new GeneralNames(names));
        write(dir.resolve(name + ".pem"), cert);
        write(dir.resolve(name + ".key"), keys.getPrivate());
        return dir.resolve(name + ".pem");
    }

    /** Writes {@code name}.key (PKCS#8) and {@code name}.pub: an RSA key pair, as for JWT signing. */
    public void keyPair(String name) throws IOException, GeneralSecurityException {
        KeyPair keys = rsa();
        write(dir.resolve(name + ".key"), new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null));
        write(dir.resolve(name + ".pub"), keys.getPublic());
    }

    public Path cert(String name) {
        return dir.resolve(name + ".pem");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                 boolean isCa, GeneralNames names) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial++),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (names != null) {
            b.addExtension(Extension.subjectAlternativeName, false, names);
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static void write(Path file, Object pem) throws IOException {
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            w.writeObject(pem);
        }
    }
}
