package io.cairn.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.server.errors.ServerException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Envelope encryption with Tink: data keys wrapped by the master key, and the master key rotated. */
class DataKeysTest {
    @TempDir
    Path dir;

    @Test
    void aValueSealedInOneNamespaceOpensThereOnly() {
        DataKeys keys = new DataKeys(MasterKey.load(null, MasterKey.generate()));
        ByteString prod = keys.create("prod");
        String sealed = keys.seal("prod", prod, "prod/g/db", "hunter2");
        assertThat(sealed).doesNotContain("hunter2");
        assertThat(keys.open("prod", prod, "prod/g/db", sealed)).isEqualTo("hunter2");
        assertThat(keys.seal("prod", prod, "prod/g/db", "hunter2")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThatThrownBy(() -> keys.open("prod", prod, "prod/g/other", sealed)).as("copied to another config")
                .isInstanceOf(ServerException.class);
        assertThatThrownBy(() -> keys.open("dev", prod, "prod/g/db", sealed)).isInstanceOf(ServerException.class);
        ByteString dev = keys.create("dev");
        assertThatThrownBy(() -> keys.open("dev", dev, "prod/g/db", sealed)).isInstanceOf(ServerException.class);
    }

    @Test
    void aRotatedMasterKeyRewrapsDataKeysAndTheOldOneCanThenGo() throws Exception {
        Path file = dir.resolve("master.json");
        String first = MasterKey.generate();
        Files.writeString(file, first);
        MasterKey master = MasterKey.load(file, null);
        DataKeys keys = new DataKeys(master);
        ByteString wrapped = keys.create("prod");
        String sealed = keys.seal("prod", wrapped, "prod/g/db", "s3cret");
        int oldPrimary = master.primaryId();
        assertThat(DataKeys.wrappedBy(wrapped)).isEqualTo(oldPrimary);

        String both = MasterKey.rotate(first);
        Files.writeString(file, both);
        assertThat(keys.reloadMaster()).isTrue();
        assertThat(master.primaryId()).isNotEqualTo(oldPrimary);
        ByteString rewrapped = keys.rewrap("prod", wrapped);
        assertThat(DataKeys.wrappedBy(rewrapped)).isEqualTo(master.primaryId());
        assertThat(DataKeys.wrappedBy(keys.create("new"))).as("a new data key: the new primary").isEqualTo(master.primaryId());

        // a member given only the new key opens what the rewrapped data key sealed, not the old wrapping
        DataKeys fresh = new DataKeys(MasterKey.load(null, newestOnly(both, oldPrimary)));
        assertThat(fresh.open("prod", rewrapped, "prod/g/db", sealed)).isEqualTo("s3cret");
        assertThatThrownBy(() -> fresh.open("prod", wrapped, "prod/g/db", sealed)).isInstanceOf(ServerException.class)
                .hasMessageContaining("does not unwrap");
    }

    @Test
    void withoutAMasterKeySecretsAreRefusedPlainly() {
        DataKeys keys = new DataKeys(MasterKey.none());
        assertThatThrownBy(() -> keys.create("prod")).isInstanceOf(ServerException.class)
                .hasMessageContaining("--secrets-key-file");
    }

    /** The keyset without the key {@code dropped}. */
    private static String newestOnly(String json, int dropped) throws Exception {
        com.google.crypto.tink.KeysetHandle h = com.google.crypto.tink.TinkJsonProtoKeysetFormat.parseKeyset(json,
                com.google.crypto.tink.InsecureSecretKeyAccess.get());
        com.google.crypto.tink.KeysetHandle.Builder b = com.google.crypto.tink.KeysetHandle.newBuilder(h);
        for (int i = 0; i < b.size(); i++) {
            if (b.getAt(i).isPrimary()) {
                continue;
            }
            b.deleteAt(i--);
        }
        com.google.crypto.tink.KeysetHandle only = b.build();
        assertThat(only.getPrimary().getId()).isNotEqualTo(dropped);
        return com.google.crypto.tink.TinkJsonProtoKeysetFormat.serializeKeyset(only, com.google.crypto.tink.InsecureSecretKeyAccess.get());
    }
}
