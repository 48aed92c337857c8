package io.cairn.server.tls;

import java.nio.file.Path;

/**
 * etcd's TLS flags for one side (clients or peers).
 *
 * @param certFile       PEM certificate chain ({@code --cert-file})
 * @param keyFile        PEM private key, PKCS#8, PKCS#1 or SEC1 ({@code --key-file})
 * @param trustedCaFile  PEM CAs that sign client certificates ({@code --trusted-ca-file})
 * @param clientCertAuth require and verify a client certificate ({@code --client-cert-auth})
 * @param autoTls        generate a self-signed certificate when none is given ({@code --auto-tls})
 */
public record TlsConfig(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth, boolean autoTls) {
    public static final TlsConfig NONE = new TlsConfig(null, null, null, false, false);

    public TlsConfig {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("--cert-file and --key-file go together");
        }
        if (clientCertAuth && trustedCaFile == null) {
            throw new IllegalArgumentException("--client-cert-auth needs --trusted-ca-file");
        }
    }

    public boolean enabled() {
        return certFile != null || autoTls;
    }
}
