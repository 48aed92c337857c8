package io.cairn.server.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import io.cairn.server.errors.ServerError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key every member is given, as a Tink AEAD keyset in JSON: in a file
 * ({@code --secrets-key-file}) or the environment ({@code CAIRN_SECRETS_KEY}). Its primary key
 * wraps new data keys; every key in it unwraps. A file is read again when a data key will not
 * unwrap, so a key added to every member's file (a rotation) is taken up without a restart.
 */
public final class MasterKey {
    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path file;
    private volatile KeysetHandle keyset;
    private volatile Aead aead;

    private MasterKey(Path file, KeysetHandle keyset) {
        this.file = file;
        set(keyset);
    }

    /** No master key: secrets cannot be written or read on this member. */
    public static MasterKey none() {
        return new MasterKey(null, null);
    }

    /** From {@code file} if given, else from {@code json} (the environment's) if given, else none. */
    public static MasterKey load(Path file, String json) {
        if (file != null) {
            return new MasterKey(file, parse(read(file), file.toString()));
        }
        if (json != null && !json.isBlank()) {
            return new MasterKey(null, parse(json, "CAIRN_SECRETS_KEY"));
        }
        return none();
    }

    /** A new keyset of one AES-256-GCM key, as JSON: what an operator puts in the key file. */
    public static String generate() {
        try {
            KeysetHandle k = KeysetHandle.generateNew(com.google.crypto.tink.aead.PredefinedAeadParameters.AES256_GCM);
            return TinkJsonProtoKeysetFormat.serializeKeyset(k, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot make an AES-256-GCM key", e);
        }
    }

    /** {@code json} with a new AES-256-GCM key added and made primary; the old ones still unwrap. */
    public static String rotate(String json) {
        try {
            KeysetHandle old = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
            KeysetHandle.Builder b = KeysetHandle.newBuilder(old);
            b.addEntry(KeysetHandle.generateEntryFromParameters(
                    com.google.crypto.tink.aead.PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary());
            return TinkJsonProtoKeysetFormat.serializeKeyset(b.build(), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a Tink keyset: " + e.getMessage(), e);
        }
    }

    public boolean configured() {
        return aead != null;
    }

    Aead aead() {
        Aead a = aead;
        if (a == null) {
            throw ServerError.CONFIG_SECRETS_UNAVAILABLE.exception(
                    "this member has no master key: start it with --secrets-key-file (or CAIRN_SECRETS_KEY)");
        }
        return a;
    }

    /** The Tink id of the key that wraps new data keys. */
    public int primaryId() {
        aead();
        return keyset.getPrimary().getId();
    }

    /** Reads the file again; whether it now holds other keys. */
    synchronized boolean reload() {
        if (file == null) {
            return false;
        }
        KeysetHandle now;
        try {
            now = parse(read(file), file.toString());
        } catch (RuntimeException e) {
            log.warn("The master key file {} could not be read again: {}", file, e.getMessage());
            return false;
        }
        if (keyset != null && now.equalsKeyset(keyset)) {
            return false;
        }
        set(now);
        log.info("Read the master key file again: {} keys, primary {}", now.size(), Integer.toUnsignedString(now.getPrimary().getId()));
        return true;
    }

    private void set(KeysetHandle k) {
        try {
            this.aead = k == null ? null : k.getPrimitive(Aead.class);
            this.keyset = k;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the master key is not an AEAD keyset: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeysetHandle parse(String json, String from) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the master key in " + from + " is not a Tink keyset in JSON: " + e.getMessage(), e);
        }
    }
}
