package io.cairn.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.etcd.Member;
import io.cairn.api.etcd.MemberListResponse;
import io.cairn.api.etcd.MemberRemoveRequest;
import io.cairn.server.apply.Keyspace;
import io.cairn.server.command.ClusterBootstrap;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.mvcc.MvccStore;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Membership commands as the apply path applies them, in the orders raft may commit them. */
class MembershipApplyTest {
    @TempDir
    Path dir;

    private static Member member(long id, String peer) {
        return Member.newBuilder().setID(id).addPeerURLs(peer).build();
    }

    @Test
    void aBootstrapTakenBackLeavesNeitherTheTableNorTheClusterId() throws Exception {
        try (Backend backend = Backend.open(dir.resolve("db"), 1L << 30)) {
            MvccStore store = MvccStore.open(backend);
            WriteBatch batch = store.beginBatch();
            MemberStore members = MemberStore.load(backend);
            ClusterBootstrap bootstrap = ClusterBootstrap.newBuilder().setClusterId(7)
                    .addMembers(member(1, "http://127.0.0.1:2380")).build();
            assertThatThrownBy(() -> batch.atomically(() -> {
                members.bootstrap(batch, bootstrap);
                assertThat(members.members()).as("the table, once the id is set").hasSize(1);
                throw new IllegalStateException("the command fails after bootstrapping");
            })).hasMessage("the command fails after bootstrapping");
            assertThat(members.clusterId()).isZero();
            assertThat(members.members()).isEmpty();
            batch.close();
            store.close();
        }
    }

    @Test
    void aPublishCommittedAfterTheMembersRemovalDoesNotBringItBack() {
        try (Keyspace k = new Keyspace(dir)) {
            k.apply(Command.newBuilder().setClusterBootstrap(ClusterBootstrap.newBuilder().setClusterId(7)
                    .addMembers(member(1, "http://127.0.0.1:2380")).addMembers(member(2, "http://127.0.0.1:22380"))).build());
            k.apply(Command.newBuilder().setMemberRemove(MemberRemoveRequest.newBuilder().setID(1)).build());
            // the member proposed its publish before it learnt of its removal
            Command publish = Command.newBuilder().setMemberPublish(member(1, "http://127.0.0.1:2380").toBuilder()
                    .setName("m0").addClientURLs("http://127.0.0.1:2379")).build();
            assertThatThrownBy(() -> k.apply(publish)).isInstanceOf(ServerException.class).hasMessage("etcdserver: member not found");

            MemberListResponse after = (MemberListResponse) k.apply(Command.newBuilder().setMemberPublish(member(2, "http://127.0.0.1:22380")
                    .toBuilder().setName("m1").addClientURLs("http://127.0.0.1:22379")).build());
            assertThat(after.getMembersList()).extracting(Member::getID).containsExactly(2L);
            assertThat(after.getMembers(0).getName()).isEqualTo("m1");
            assertThat(after.getMembers(0).getPeerURLsList()).containsExactly("http://127.0.0.1:22380");
        }
    }

    @Test
    void aSecondBootstrapAfterARemovalDoesNotBringTheMemberBack() {
        try (Keyspace k = new Keyspace(dir)) {
            Command bootstrap = Command.newBuilder().setClusterBootstrap(ClusterBootstrap.newBuilder().setClusterId(7)
                    .addMembers(member(1, "http://127.0.0.1:2380")).addMembers(member(2, "http://127.0.0.1:22380"))).build();
            k.apply(bootstrap);
            k.apply(Command.newBuilder().setMemberRemove(MemberRemoveRequest.newBuilder().setID(1)).build());
            // the chore's bootstrap and a change's were both proposed before either applied
            MemberListResponse after = (MemberListResponse) k.apply(bootstrap);
            assertThat(after.getMembersList()).extracting(Member::getID).containsExactly(2L);
        }
    }
}
