package io.cairn.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.config.Change;
import io.cairn.api.config.ConfigKey;
import io.cairn.api.config.CreateNamespaceRequest;
import io.cairn.api.config.Format;
import io.cairn.api.config.PublishResponse;
import io.cairn.api.etcd.RangeRequest;
import io.cairn.server.apply.Keyspace;
import io.cairn.server.command.Command;
import io.cairn.server.command.ConfigChange;
import io.cairn.server.command.ConfigReview;
import io.cairn.server.command.ConfigWrite;
import io.cairn.server.command.Requester;
import io.cairn.server.errors.ServerException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drafts and verdicts as the apply path takes them, whoever proposed them. */
class ConfigReviewApplyTest {
    private static final ConfigKey KEY = ConfigKey.newBuilder().setNamespace("prod").setGroup("g").setDataId("a.txt").build();

    @TempDir
    Path dir;

    @Test
    void onlyTheAuthorWithdrawsAnAnonymousDraftIsNeverApprovedAndApprovalPublishesTheDraftAsStored() {
        try (Keyspace ks = new Keyspace(dir)) {
            ks.apply(as("", ConfigChange.newBuilder().setCreateNamespace(CreateNamespaceRequest.newBuilder()
                    .setName("prod").setReviewRequired(true))));
            long anonymous = draft(ks, "", "pool: 20\n"); // auth off: nobody can say whose
            // auth on: root; alice and carol write prod, bob reviews it
            for (String user : new String[] {"root", "alice", "bob", "carol"}) {
                ks.apply(Command.newBuilder().setUserAdd(io.cairn.api.etcd.AuthUserAddRequest.newBuilder().setName(user)
                        .setHashedPassword("$2a$04$not-a-real-hash-but-never-checked-here")).build());
            }
            grant(ks, "root", null, null);
            grant(ks, "writer", ConfigKeys.writePrefix("prod"), io.cairn.api.etcd.Permission.Type.READWRITE);
            grant(ks, "reviewer", ConfigKeys.reviewPrefix("prod"), io.cairn.api.etcd.Permission.Type.READWRITE);
            for (String[] ur : new String[][] {{"root", "root"}, {"alice", "writer"}, {"carol", "writer"}, {"bob", "reviewer"}}) {
                ks.apply(Command.newBuilder().setUserGrantRole(io.cairn.api.etcd.AuthUserGrantRoleRequest.newBuilder()
                        .setUser(ur[0]).setRole(ur[1])).build());
            }
            ks.apply(Command.newBuilder().setRequester(Requester.newBuilder().setUser("root"))
                    .setAuthEnable(io.cairn.api.etcd.AuthEnableRequest.getDefaultInstance()).build());
            long alices = draft(ks, "alice", "pool: 10\n");
            assertThatThrownBy(() -> ks.apply(as("carol", review(alices, false, true, "")))).isInstanceOf(ServerException.class)
                    .hasMessageContaining("permission denied");
            // the proposer's copy says other content: what is published is the draft's
            ks.apply(as("bob", review(alices, true, false, "pool: 99\n")));
            assertThat(ks.range(RangeRequest.newBuilder().setKey(ConfigKeys.content(KEY)).build()).getKvs(0).getValue().toStringUtf8())
                    .isEqualTo("pool: 10\n");

            assertThatThrownBy(() -> ks.apply(as("bob", review(anonymous, true, false, "pool: 20\n"))))
                    .isInstanceOf(ServerException.class).hasMessageContaining("made with auth off");
            long carols = draft(ks, "carol", "pool: 30\n");
            ks.apply(as("carol", review(carols, false, true, "")));
            assertThat(ks.range(RangeRequest.newBuilder().setKey(ConfigKeys.draft(KEY, carols)).build()).getKvsCount()).isZero();
        }
    }

    private static long draft(Keyspace ks, String author, String content) {
        PublishResponse r = (PublishResponse) ks.apply(as(author, ConfigChange.newBuilder().setWrite(write(content))));
        return r.getDraft().getId();
    }

    private static ConfigWrite.Builder write(String content) {
        return ConfigWrite.newBuilder().setKey(KEY).setFormat(Format.TEXT).setContent(content).setMd5(ConfigJson.md5(content))
                .setChange(Change.PUBLISHED).setSchemaMd5("").setHistoryLimit(10);
    }

    private static ConfigChange.Builder review(long id, boolean approve, boolean withdraw, String content) {
        ConfigReview.Builder r = ConfigReview.newBuilder().setKey(KEY).setDraftId(id).setApprove(approve).setWithdraw(withdraw);
        if (approve) {
            // the md5 is the draft's: the proposer checked it against the draft it read
            r.setWrite(write(content).setMd5(ConfigJson.md5(content.equals("pool: 99\n") ? "pool: 10\n" : content)));
        }
        return ConfigChange.newBuilder().setReview(r);
    }

    private static void grant(Keyspace ks, String role, com.google.protobuf.ByteString prefix, io.cairn.api.etcd.Permission.Type type) {
        ks.apply(Command.newBuilder().setRoleAdd(io.cairn.api.etcd.AuthRoleAddRequest.newBuilder().setName(role)).build());
        if (prefix != null) {
            ks.apply(Command.newBuilder().setRoleGrantPermission(io.cairn.api.etcd.AuthRoleGrantPermissionRequest.newBuilder()
                    .setName(role).setPerm(io.cairn.api.etcd.Permission.newBuilder().setPermType(type).setKey(prefix)
                            .setRangeEnd(ConfigKeys.end(prefix)))).build());
        }
    }

    private static Command as(String user, ConfigChange.Builder change) {
        return Command.newBuilder().setRequester(Requester.newBuilder().setUser(user)).setConfigChange(change).build();
    }
}
