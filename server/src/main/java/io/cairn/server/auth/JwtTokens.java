package io.cairn.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.cairn.server.errors.ServerError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Date;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * etcd's JWT tokens: claims {@code username}, {@code revision} and {@code exp}, signed with an
 * RSA or EC key ({@code --auth-token jwt,pub-key=...,priv-key=...,sign-method=RS256,ttl=5m}).
 * A member given only the public key verifies tokens but cannot issue them.
 */
public final class JwtTokens implements Tokens {
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final long ttlMillis;
    private final LongSupplier wallClock;

    private JwtTokens(JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier, long ttlMillis,
                      LongSupplier wallClock) {
        this.algorithm = algorithm;
        this.signer = signer;
        this.verifier = verifier;
        this.ttlMillis = ttlMillis;
        this.wallClock = wallClock;
    }

    /**
     * @param options etcd's {@code --auth-token} options after "jwt,": pub-key, priv-key,
     *                sign-method and ttl
     */
    public static JwtTokens fromOptions(Map<String, String> options, LongSupplier wallClock) throws IOException {
        String method = options.getOrDefault("sign-method", "");
        String publicKey = options.get("pub-key");
        if (publicKey == null) {
            throw new IllegalArgumentException("--auth-token jwt needs pub-key=<PEM file>");
        }
        long ttlMillis = parseDuration(options.getOrDefault("ttl", "5m"));
        try {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(method);
            JWK pub = JWK.parseFromPEMEncodedObjects(Files.readString(Path.of(publicKey)));
            String privateKey = options.get("priv-key");
            JWK priv = privateKey == null ? null : JWK.parseFromPEMEncodedObjects(Files.readString(Path.of(privateKey)));
            if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
                return new JwtTokens(algorithm, priv == null ? null : new RSASSASigner((RSAKey) priv),
                        new RSASSAVerifier((RSAKey) pub), ttlMillis, wallClock);
            }
            if (JWSAlgorithm.Family.EC.contains(algorithm)) {
                return new JwtTokens(algorithm, priv == null ? null : new ECDSASigner((ECKey) priv),
                        new ECDSAVerifier((ECKey) pub), ttlMillis, wallClock);
            }
            throw new IllegalArgumentException("unsupported sign-method \"" + method
                    + "\" (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or ES512)");
        } catch (JOSEException | ClassCastException e) {
            throw new IllegalArgumentException("the JWT keys do not fit sign-method " + method + ": " + e.getMessage());
        }
    }

    /** Go's durations as etcd takes them: "300s", "5m", "1h". */
    static long parseDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad ttl \"" + text + "\" (e.g. 300s, 5m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
    }

    @Override
    public boolean issuedThroughRaft() {
        return false;
    }

    @Override
    public String issue(String user, long authRevision) {
        if (signer == null) {
            throw ServerError.AUTH_FAILED.exception(); // a verify-only member cannot issue
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("username", user)
                .claim("revision", authRevision)
                .expirationTime(new Date(wallClock.getAsLong() + ttlMillis))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a token failed", e);
        }
        return jwt.serialize();
    }

    @Override
    public String register(String user, String proposed, long raftIndex) {
        return proposed; // signed tokens need no registration
    }

    @Override
    public long issuingIndex(String token) {
        return 0; // any member verifies a signed token by itself
    }

    @Override
    public void invalidate(String user) {
        // a signed token carries the auth revision, which every change bumps
    }

    @Override
    public String resolve(String token, long authRevision) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.getHeader().getAlgorithm().equals(algorithm) || !jwt.verify(verifier)) {
                throw ServerError.INVALID_AUTH_TOKEN.exception();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            String user = claims.getStringClaim("username");
            Long revision = claims.getLongClaim("revision");
            if (exp == null || exp.getTime() <= wallClock.getAsLong() || user == null || revision == null) {
                throw ServerError.INVALID_AUTH_TOKEN.exception();
            }
            if (revision < authRevision) {
                throw ServerError.AUTH_OLD_REVISION.exception();
            }
            return user;
        } catch (ParseException | JOSEException e) {
            throw ServerError.INVALID_AUTH_TOKEN.exception();
        }
    }
}
