package io.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.config.AuditQuery;
import io.cairn.client.config.AuditRecord;
import io.cairn.client.config.Change;
import io.cairn.client.config.Config;
import io.cairn.client.config.ConfigAccess;
import io.cairn.client.config.ConfigKey;
import io.cairn.client.config.Draft;
import io.cairn.client.config.Expect;
import io.cairn.client.config.GrayRules;
import io.cairn.client.config.Publish;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reviewed publishing on a member with auth on: in a namespace that requires review a publish,
 * delete or rollback is a draft; nothing is published until a reviewer other than its author
 * approves it, and the audit names both.
 */
@ExtendWith(OwnedProcesses.class)
class ConfigReviewIT {
    private static final ConfigKey KEY = new ConfigKey("prod", "g", "orders.yaml");

    @TempDir
    Path dir;

    @Test
    void nothingIsPublishedUntilSomeoneElseApprovesIt() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data"), "--bcrypt-cost", "6").start()) {
            try (Client setup = Client.builder().endpoints(cairn.advertisedClientUrl()).configReceipts(false).build()) {
                Auth.Sync auth = setup.auth().sync();
                auth.userAdd("root", "rootpw");
                auth.roleAdd("root");
                auth.userGrantRole("root", "root");
                auth.roleAdd("writer");
                auth.roleAdd("reviewer");
                ConfigAccess.grant(setup, "writer", "prod", ConfigAccess.Level.READ_WRITE).join();
                ConfigAccess.grant(setup, "reviewer", "prod", ConfigAccess.Level.REVIEW).join();
                for (String user : List.of("alice", "bob", "carol")) {
                    auth.userAdd(user, user + "pw");
                }
                auth.userGrantRole("alice", "writer");
                auth.userGrantRole("alice", "reviewer");
                auth.userGrantRole("bob", "reviewer");
                auth.userGrantRole("carol", "writer");
                setup.config().sync().createNamespace("prod", "production", true);
                auth.enable();
            }
            try (Client root = user(cairn, "root"); Client alice = user(cairn, "alice"); Client bob = user(cairn, "bob");
                 Client carol = user(cairn, "carol")) {
                assertThat(root.config().sync().describeNamespace("prod").reviewRequired()).isTrue();

                // alice's publish is a draft: nothing published, and her own approval is refused
                Draft first = draftOf(() -> alice.config().sync().publish(Publish.builder(KEY, "pool: 10\n").comment("first").build()));
                assertThat(first.change()).isEqualTo(Change.PUBLISHED);
                assertThat(first.baseVersion()).isZero();
                assertThat(first.author()).isEqualTo("alice");
                assertThatThrownBy(() -> alice.config().sync().get(KEY)).isInstanceOfSatisfying(CairnException.class,
                        e -> assertThat(e.code()).isEqualTo(CairnException.Code.NOT_FOUND));
                assertThatThrownBy(() -> alice.config().approve(KEY, first.id(), "mine").join()).cause()
                        .isInstanceOfSatisfying(CairnException.class, e -> {
                            assertThat(e.code()).isEqualTo(CairnException.Code.FAILED_PRECONDITION);
                            assertThat(e.getMessage()).contains("cannot be approved by its author (alice)");
                        });
                // carol may write but not review; bob reviews but may not publish around the review
                assertThatThrownBy(() -> carol.config().approve(KEY, first.id(), "").join()).cause()
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.PERMISSION_DENIED));
                assertThatThrownBy(() -> bob.config().sync().publish(Publish.builder(KEY, "pool: 99\n").build()))
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.PERMISSION_DENIED));
                assertThat(bob.config().drafts("prod").join()).extracting(Draft::id, Draft::author, Draft::content)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(first.id(), "alice", ""));
                Draft.WithDiff shown = bob.config().draft(KEY, first.id()).join();
                assertThat(shown.draft().content()).isEqualTo("pool: 10\n");
                assertThat(shown.unifiedDiff()).contains("+pool: 10");

                Config v1 = bob.config().approve(KEY, first.id(), "looks right").join();
                assertThat(v1.version()).isEqualTo(1);
                assertThat(v1.author()).isEqualTo("alice");
                assertThat(root.config().sync().get(KEY).content()).isEqualTo("pool: 10\n");
                assertThat(bob.config().drafts("prod").join()).isEmpty();
                assertThatThrownBy(() -> bob.config().approve(KEY, first.id(), "again").join()).cause()
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.NOT_FOUND));

                // two drafts against version 1: approving one makes the other stale
                Draft second = draftOf(() -> carol.config().sync().publish(Publish.builder(KEY, "pool: 20\n").build()));
                Draft third = draftOf(() -> alice.config().sync().publish(Publish.builder(KEY, "pool: 30\n").expect(Expect.version(1)).build()));
                assertThat(alice.config().approve(KEY, second.id(), "").join().version()).isEqualTo(2);
                assertThatThrownBy(() -> bob.config().approve(KEY, third.id(), "").join()).cause()
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage())
                                .contains("the config changed since draft " + third.id() + " was made (at version 1, now 2)"));
                // a stale expectation is refused when the draft is made, as a publish would be
                assertThatThrownBy(() -> alice.config().sync().publish(Publish.builder(KEY, "pool: 40\n").expect(Expect.version(1)).build()))
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.FAILED_PRECONDITION))
                        .isNotInstanceOf(ReviewRequiredException.class);
                // a reviewer rejects a draft, even their own; a rejected one publishes nothing
                alice.config().reject(KEY, third.id(), "withdrawn").join();
                Draft rollback = draftOf(() -> carol.config().sync().rollback(KEY, 1, Expect.ANY, "back to 10"));
                assertThat(rollback.change()).isEqualTo(Change.ROLLED_BACK);
                assertThat(rollback.sourceVersion()).isEqualTo(1);
                Draft alices = draftOf(() -> alice.config().sync().publish(Publish.builder(KEY, "pool: 60\n").build()));
                // a writer who reviews nothing takes back only a draft of their own
                assertThatThrownBy(() -> carol.config().reject(KEY, alices.id(), "not yours").join()).cause()
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.PERMISSION_DENIED));
                carol.config().reject(KEY, rollback.id(), "never mind").join();
                bob.config().reject(KEY, alices.id(), "20 is right").join();
                Draft delete = draftOf(() -> carol.config().sync().delete(KEY, Expect.ANY, "gone"));
                assertThat(root.config().sync().get(KEY).version()).isEqualTo(2);
                assertThat(bob.config().approve(KEY, delete.id(), "ok").join().change()).isEqualTo(Change.DELETED);

                // what review does not cover is refused in such a namespace
                ConfigKey other = new ConfigKey("prod", "g", "other.yaml");
                assertThatThrownBy(() -> root.config().sync().startGray(other, "a: 1\n", GrayRules.percent(10)))
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("requires review"));

                List<AuditRecord> audit = root.config().sync().audit(AuditQuery.builder("prod").build()).records();
                assertThat(audit).extracting(AuditRecord::action, AuditRecord::user, AuditRecord::reviewer).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("delete", "carol", "bob"),
                        org.assertj.core.groups.Tuple.tuple("draft", "carol", ""),
                        org.assertj.core.groups.Tuple.tuple("draft-reject", "bob", "bob"),
                        org.assertj.core.groups.Tuple.tuple("draft-withdraw", "carol", ""),
                        org.assertj.core.groups.Tuple.tuple("draft", "alice", ""),
                        org.assertj.core.groups.Tuple.tuple("draft", "carol", ""),
                        org.assertj.core.groups.Tuple.tuple("draft-reject", "alice", "alice"),
                        org.assertj.core.groups.Tuple.tuple("publish", "carol", "alice"),
                        org.assertj.core.groups.Tuple.tuple("draft", "alice", ""),
                        org.assertj.core.groups.Tuple.tuple("draft", "carol", ""),
                        org.assertj.core.groups.Tuple.tuple("publish", "alice", "bob"),
                        org.assertj.core.groups.Tuple.tuple("draft", "alice", ""),
                        org.assertj.core.groups.Tuple.tuple("namespace-create", "", ""));

                // with review off, a publish is a publish again
                root.config().sync().setReviewRequired("prod", false);
                assertThat(carol.config().sync().publish(Publish.builder(KEY, "pool: 50\n").build()).version()).isEqualTo(4);
            }
        }
    }

    @Test
    void withAuthOffDraftsAreMadeButNobodyCanApproveThem() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start();
             Client client = Client.builder().endpoints(cairn.advertisedClientUrl()).configReceipts(false).build()) {
            client.config().sync().createNamespace("prod", "", true);
            Draft d = draftOf(() -> client.config().sync().publish(Publish.builder(KEY, "pool: 10\n").build()));
            assertThatThrownBy(() -> client.config().approve(KEY, d.id(), "").join()).cause()
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("needs auth on"));
            assertThatThrownBy(() -> client.config().sync().setReviewRequired("default", true))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(CairnException.Code.INVALID_ARGUMENT));
            client.config().reject(KEY, d.id(), "").join();
            assertThat(client.config().drafts("prod").join()).isEmpty();
            assertThat(client.config().sync().listAll(io.cairn.client.config.ConfigQuery.builder("prod").build())).isEmpty();

            // review is not turned on under a gray release, whose candidate nobody reviewed
            client.config().sync().createNamespace("stage", "", false);
            ConfigKey staged = new ConfigKey("stage", "g", "a.yaml");
            client.config().sync().publish(Publish.builder(staged, "a: 1\n").build());
            client.config().sync().startGray(staged, "a: 2\n", GrayRules.percent(10));
            assertThatThrownBy(() -> client.config().sync().setReviewRequired("stage", true))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("gray release under way"));

            // a draft made with auth off names no author, so even with auth on nobody may approve it
            Draft anonymous = draftOf(() -> client.config().sync().publish(Publish.builder(KEY, "pool: 20\n").build()));
            Auth.Sync auth = client.auth().sync();
            auth.userAdd("root", "rootpw");
            auth.roleAdd("root");
            auth.userGrantRole("root", "root");
            auth.enable();
            try (Client root = user(cairn, "root")) {
                assertThatThrownBy(() -> root.config().approve(KEY, anonymous.id(), "").join()).cause()
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("made with auth off"));
                root.auth().sync().disable();
            }
        }
    }

    private static Client user(CairnProcess cairn, String name) {
        return Client.builder().endpoints(cairn.advertisedClientUrl()).user(name, name + "pw").configReceipts(false).build();
    }

    private static Draft draftOf(Runnable change) {
        ReviewRequiredException[] caught = new ReviewRequiredException[1];
        assertThatThrownBy(change::run).isInstanceOfSatisfying(ReviewRequiredException.class, e -> caught[0] = e);
        assertThat(caught[0].code()).isEqualTo(CairnException.Code.FAILED_PRECONDITION);
        assertThat(caught[0].getMessage()).contains("requires review: draft " + caught[0].draft().id());
        return caught[0].draft();
    }
}
