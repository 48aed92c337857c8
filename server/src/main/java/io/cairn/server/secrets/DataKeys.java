package io.cairn.server.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.protobuf.ByteString;
import io.cairn.server.errors.ServerError;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Namespaces' data keys: each an AES-256-GCM Tink keyset, stored only wrapped (encrypted) by the
 * master key, with the namespace's name as associated data so a wrapped key moved to another
 * namespace does not open. A value is sealed with its context (the config it belongs to) as
 * associated data: a sealed value copied into another config does not open there.
 */
public final class DataKeys {
    private final MasterKey master;
    /** Unwrapped keys by namespace, with the wrapped form they came from. */
    private final Map<String, Unwrapped> cache = new ConcurrentHashMap<>();

    private record Unwrapped(ByteString wrapped, Aead aead) {
    }

    public DataKeys(MasterKey master) {
        this.master = master;
    }

    public MasterKey master() {
        return master;
    }

    /**
     * A new data key for {@code namespace}, wrapped by the master key's primary (the key file
     * read again first: a rotation's new primary, not one this member read at its start).
     */
    public ByteString create(String namespace) {
        master.reload();
        try {
            KeysetHandle key = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            return ByteString.copyFrom(TinkProtoKeysetFormat.serializeEncryptedKeyset(key, master.aead(), ad(namespace)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot make a data key", e);
        }
    }

    /** The data key wrapped again by the master key's primary (after the master key file was read again). */
    public ByteString rewrap(String namespace, ByteString wrapped) {
        try {
            KeysetHandle key = unwrap(namespace, wrapped);
            return ByteString.copyFrom(TinkProtoKeysetFormat.serializeEncryptedKeyset(key, master.aead(), ad(namespace)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot wrap a data key", e);
        }
    }

    /** Reads the master key file again, as a rotation starts: whether it changed. */
    public boolean reloadMaster() {
        return master.reload();
    }

    /** Seals {@code clear} with {@code namespace}'s data key, bound to {@code context}: base64url, unpadded. */
    public String seal(String namespace, ByteString wrapped, String context, String clear) {
        try {
            byte[] sealed = aead(namespace, wrapped).encrypt(clear.getBytes(StandardCharsets.UTF_8), ad(context));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot seal a value", e);
        }
    }

    public String open(String namespace, ByteString wrapped, String context, String body) {
        try {
            byte[] clear = aead(namespace, wrapped).decrypt(Base64.getUrlDecoder().decode(body), ad(context));
            return new String(clear, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw ServerError.CONFIG_SECRETS_UNAVAILABLE.exception("a sealed value of " + context
                    + " does not open with its namespace's data key (sealed elsewhere, or damaged)");
        }
    }

    /** The Tink id of the master key that wrapped {@code wrapped}, as its ciphertext's prefix says. */
    public static int wrappedBy(ByteString wrapped) {
        try {
            ByteString encrypted = com.google.crypto.tink.proto.EncryptedKeyset.parseFrom(wrapped).getEncryptedKeyset();
            return encrypted.size() < 5 ? 0 : java.nio.ByteBuffer.wrap(encrypted.substring(1, 5).toByteArray()).getInt();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return 0;
        }
    }

    private Aead aead(String namespace, ByteString wrapped) throws GeneralSecurityException {
        Unwrapped u = cache.get(namespace);
        if (u == null || !u.wrapped().equals(wrapped)) {
            u = new Unwrapped(wrapped, unwrap(namespace, wrapped).getPrimitive(Aead.class));
            cache.put(namespace, u);
        }
        return u.aead();
    }

    private KeysetHandle unwrap(String namespace, ByteString wrapped) {
        byte[] bytes = wrapped.toByteArray();
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(bytes, master.aead(), ad(namespace));
        } catch (GeneralSecurityException first) {
            // wrapped by a master key this member's file has gained since it was read: read it again
            if (master.reload()) {
                try {
                    return TinkProtoKeysetFormat.parseEncryptedKeyset(bytes, master.aead(), ad(namespace));
                } catch (GeneralSecurityException e) {
                    // falls through to the error below
                }
            }
            throw ServerError.CONFIG_SECRETS_UNAVAILABLE.exception("namespace " + namespace
                    + "'s data key does not unwrap with this member's master key: give every member the same key file");
        }
    }

    private static byte[] ad(String namespace) {
        return namespace.getBytes(StandardCharsets.UTF_8);
    }
}
