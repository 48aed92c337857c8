package io.cairn.server.lease;

import static io.cairn.server.apply.Keyspace.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.PutRequest;
import io.cairn.server.apply.Keyspace;
import io.cairn.server.errors.ServerException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which keys a lease holds, and what a revocation does with them. */
class LeaseKeysTest {
    @TempDir
    Path dir;
    Keyspace ks;

    @BeforeEach
    void open() {
        ks = new Keyspace(dir);
        ks.grant(7, 30);
    }

    @AfterEach
    void close() {
        ks.close();
    }

    private void put(String key, long lease) {
        ks.put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("v")).setLease(lease).build());
    }

    private String keysOf(long lease) {
        return ks.leases().get(lease).keys().stream().map(k -> k.toStringUtf8()).toList().toString();
    }

    @Test
    void keysFollowTheirLatestPut() {
        put("a", 7);
        put("b", 7);
        put("c", 42);
        put("c", 7); // moves to lease 7
        put("a", 0); // leaves its lease
        assertThat(keysOf(7)).isEqualTo("[b, c]");
        assertThat(keysOf(42)).isEqualTo("[]");
        ks.delete(DeleteRangeRequest.newBuilder().setKey(bytes("b")).build());
        assertThat(keysOf(7)).isEqualTo("[c]");
    }

    @Test
    void revocationDeletesTheLeasesKeysInOneRevision() {
        put("x", 7);
        put("y", 7);
        put("z", 42);
        long before = ks.store().currentRevision();
        ks.revoke(7);
        assertThat(ks.store().currentRevision()).isEqualTo(before + 1);
        assertThat(ks.get("x").getKvsList()).isEmpty();
        assertThat(ks.get("y").getKvsList()).isEmpty();
        assertThat(ks.get("z").getKvsList()).hasSize(1);
        assertThat(ks.leases().exists(7)).isFalse();
        assertThatThrownBy(() -> ks.revoke(7)).isInstanceOf(ServerException.class)
                .hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void aLeaseWithoutKeysStaysUntilRevoked() {
        long before = ks.store().currentRevision();
        ks.revoke(7);
        assertThat(ks.store().currentRevision()).as("nothing to delete, no new revision").isEqualTo(before);
    }

    @Test
    void attachmentsAndCheckpointsSurviveARestart() {
        put("x", 7);
        ks.checkpoint(7, 12);
        ks.reopen();
        assertThat(keysOf(7)).isEqualTo("[x]");
        assertThat(ks.leases().get(7).remainingTtl()).isEqualTo(12);
        assertThatThrownBy(() -> ks.grant(7, 10)).hasMessage("etcdserver: lease already exists");
    }
}
