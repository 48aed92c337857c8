package io.cairn.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt password hashes, through Bouncy Castle's implementation of OpenBSD's scheme. */
public final class Passwords {
    /** bcrypt reads at most 72 bytes of a password; longer ones are refused rather than cut. */
    public static final int MAX_BYTES = 72;

    private final SecureRandom random = new SecureRandom();
    private final int cost;
    /** Compared against for unknown users, so that a miss costs as much as a wrong password. */
    private final String decoy;

    public Passwords(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("--bcrypt-cost must be between 4 and 31, not " + cost);
        }
        this.cost = cost;
        this.decoy = hash("decoy");
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.getBytes(StandardCharsets.UTF_8), salt, cost);
    }

    /** Whether {@code password} matches {@code hash}; a null hash is checked against a decoy. */
    public boolean matches(String hash, String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES || bytes.length == 0) {
            OpenBSDBCrypt.checkPassword(decoy, "x".toCharArray());
            return false;
        }
        if (hash == null || hash.isEmpty()) {
            OpenBSDBCrypt.checkPassword(decoy, password.toCharArray());
            return false;
        }
        return OpenBSDBCrypt.checkPassword(hash, bytes);
    }
}
