package io.cairn.server.node;

import com.google.protobuf.ByteString;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.ConfigVersion;
import io.cairn.api.config.Secrets;
import io.cairn.api.etcd.KeyValue;
import io.cairn.server.config.ConfigKeys;
import io.cairn.server.config.SecretText;
import io.cairn.server.errors.ServerError;
import io.cairn.server.secrets.DataKeys;
import io.cairn.server.storage.mvcc.RangeOptions;
import io.cairn.server.storage.mvcc.TxnRead;
import java.util.List;

/**
 * The config service's secrets, between {@link SecretText} (where secret values stand in a
 * text) and {@link DataKeys} (the keys that seal them): the cipher of a namespace, and what a
 * read shows of a text, opened or masked.
 */
final class ConfigSecrets {
    private final DataKeys keys;
    private final AccessGate access;
    private final KvServer kv;

    ConfigSecrets(DataKeys keys, AccessGate access, KvServer kv) {
        this.keys = keys;
        this.access = access;
        this.kv = kv;
    }

    DataKeys keys() {
        return keys;
    }

    /** The namespace's data key as stored (wrapped), or null if it has none yet. */
    static ByteString stored(TxnRead view, String namespace) {
        List<KeyValue> kvs = view.range(ConfigKeys.secretKey(namespace), null, RangeOptions.LATEST).kvs();
        return kvs.isEmpty() ? null : kvs.get(0).getValue();
    }

    /** Seals and opens values of {@code key} with {@code wrapped}, the namespace's data key a write just read. */
    SecretText.Cipher cipher(ConfigKey key, ByteString wrapped) {
        return cipher(key, () -> wrapped);
    }

    /**
     * Opens with the namespace's data key as this member has it when a value is opened: a listen
     * outlives the key it started with (the first secret of a namespace makes one). Each value
     * is bound to its config.
     */
    private SecretText.Cipher cipher(ConfigKey key, java.util.function.Supplier<ByteString> wrapped) {
        String namespace = key.getNamespace();
        String context = ConfigKeys.describe(key);
        return new SecretText.Cipher() {
            @Override
            public String seal(String clear) {
                return keys.seal(namespace, wrapped.get(), context, clear);
            }

            @Override
            public String open(String body) {
                ByteString data = wrapped.get();
                if (data == null) {
                    throw ServerError.CONFIG_SECRETS_UNAVAILABLE.exception("namespace " + namespace + " has no data key");
                }
                return keys.open(namespace, data, context, body);
            }
        };
    }

    /** The secrets of a write that names none: the config's (a delete kept them too). */
    static Secrets of(ConfigVersion meta) {
        return meta == null ? Secrets.getDefaultInstance() : meta.getSecrets();
    }

    /**
     * Opened if the caller asked to reveal and may (read permission on the namespace's reveal
     * prefix); masked otherwise. The SDK always asks: an application whose user may not
     * reveal gets masked values, marked so ({@code ConfigVersion.masked}).
     */
    SecretText.Shown shown(String user, String namespace, boolean reveal) {
        if (!reveal || !mayReveal(user, namespace)) {
            return SecretText.MASKED;
        }
        // a serializable read is this member's state, read at once
        java.util.function.Supplier<ByteString> wrapped = () -> kv.read(true, v -> stored(v, namespace)).join();
        return new SecretText.Shown() {
            @Override
            public String show(ConfigKey key, io.cairn.api.config.Format format, String text) {
                return SecretText.isSealed(text) ? SecretText.open(format, text, cipher(key, wrapped)) : text;
            }

            @Override
            public boolean opens() {
                return true;
            }
        };
    }

    boolean mayReveal(String user, String namespace) {
        try {
            access.policy().checkReveal(user, namespace);
            return true;
        } catch (io.cairn.server.errors.ServerException denied) {
            return false;
        }
    }
}
