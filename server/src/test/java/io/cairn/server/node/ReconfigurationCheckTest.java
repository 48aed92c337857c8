package io.cairn.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcd.Member;
import io.cairn.api.etcd.MemberPromoteRequest;
import io.cairn.api.etcd.MemberRemoveRequest;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconfigurationCheckTest {
    private static final Member A = member(1, "a", 1, false);
    private static final Member B = member(2, "b", 2, false);
    private static final Member C = member(3, "c", 3, false);
    private static final Member UNSTARTED = member(4, "", 4, false);

    @Test
    void aChangeIsTakenWhenRaftListsWhatTheTableDoes() {
        assertThat(refusal(add(5, false), List.of(A, B, C), Set.of(peer(1), peer(2), peer(3)), Set.of())).isNull();
        assertThat(refusal(remove(3), List.of(A, B, C), Set.of(peer(1), peer(2), peer(3)), Set.of())).isNull();
    }

    @Test
    void noChangeWhileAnEarlierOneIsUnderWay() {
        // an added member raft does not list yet
        assertThat(refusal(add(5, false), List.of(A, B, UNSTARTED), Set.of(peer(1), peer(2)), Set.of()))
                .isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
        // a removed member raft still lists: adding one back on its address would make its empty log vote
        assertThat(refusal(add(3, false), List.of(A, B), Set.of(peer(1), peer(2), peer(3)), Set.of()))
                .isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
        assertThat(refusal(remove(2), List.of(A, B, UNSTARTED), Set.of(peer(1), peer(2)), Set.of()))
                .isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
        assertThat(refusal(add(3, true), List.of(A, B), Set.of(peer(1), peer(2), peer(3)), Set.of()))
                .isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
    }

    @Test
    void anAddedMemberThatNeverCaughtUpMayBeTakenBack() {
        assertThat(refusal(remove(4), List.of(A, B, UNSTARTED), Set.of(peer(1), peer(2)), Set.of())).isNull();
    }

    @Test
    void noChangeLeavesFewerStartedVotersThanAQuorum() {
        Member unstarted5 = member(5, "", 5, false);
        Set<String> raft = Set.of(peer(1), peer(2), peer(4), peer(5));
        // two started, two not: a fifth (counted as started) makes 3 of 5, a quorum
        assertThat(refusal(add(6, false), List.of(A, B, UNSTARTED, unstarted5), raft, Set.of())).isNull();
        // removing a started one leaves 1 started of 3
        assertThat(refusal(remove(2), List.of(A, B, UNSTARTED, unstarted5), raft, Set.of()))
                .isEqualTo(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
        // removing an unstarted one leaves 2 started of 3
        assertThat(refusal(remove(5), List.of(A, B, UNSTARTED, unstarted5), raft, Set.of())).isNull();
        // one started of three: adding makes 2 of 4
        assertThat(refusal(add(6, false), List.of(A, UNSTARTED, unstarted5), Set.of(peer(1), peer(4), peer(5)), Set.of()))
                .isEqualTo(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
    }

    @Test
    void learnersCountForNoQuorum() {
        Member learner = member(4, "", 4, true);
        assertThat(refusal(add(5, true), List.of(A, B), Set.of(peer(1), peer(2)), Set.of())).isNull();
        assertThat(refusal(remove(4), List.of(A, B, learner), Set.of(peer(1), peer(2)), Set.of(peer(4)))).isNull();
        Command promote = Command.newBuilder().setMemberPromote(MemberPromoteRequest.newBuilder().setID(4)).build();
        assertThat(refusal(promote, List.of(A, B, learner), Set.of(peer(1), peer(2)), Set.of(peer(4)))).isNull();
        // a learner, but not one raft lists yet: it has no log to vote with
        assertThat(refusal(promote, List.of(A, B, learner), Set.of(peer(1), peer(2)), Set.of()))
                .isEqualTo(ServerError.LEARNER_NOT_READY);
        // a learner may come while a voter's change is under way
        assertThat(refusal(add(5, true), List.of(A, B, UNSTARTED), Set.of(peer(1), peer(2)), Set.of())).isNull();
        assertThat(refusal(add(4, true), List.of(A, B, learner), Set.of(peer(1), peer(2)), Set.of(peer(4)))).isNull();
    }

    @Test
    void whatApplyingAnswersIsLeftToIt() {
        Set<String> raft = Set.of(peer(1), peer(2), peer(4));
        // its address is taken: applying answers "Peer URLs already exists"
        assertThat(refusal(add(4, false), List.of(A, B, UNSTARTED), raft, Set.of())).isNull();
        // not a learner, or nobody: "can only promote a learner member", "member not found"
        Command promoteVoter = Command.newBuilder().setMemberPromote(MemberPromoteRequest.newBuilder().setID(1)).build();
        assertThat(refusal(promoteVoter, List.of(A, B, C), Set.of(peer(1), peer(2)), Set.of())).isNull();
        assertThat(refusal(remove(9), List.of(A, B, C), Set.of(peer(1), peer(2)), Set.of())).isNull();
    }

    @Test
    void otherCommandsAreNotChecked() {
        Command publish = Command.newBuilder().setMemberPublish(A).build();
        assertThat(refusal(publish, List.of(A, B, UNSTARTED), Set.of(peer(1)), Set.of())).isNull();
    }

    private static ServerError refusal(Command c, List<Member> table, Set<String> voters, Set<String> learners) {
        return ReconfigurationCheck.refusal(c, table, voters, learners);
    }

    private static Command add(int port, boolean learner) {
        return Command.newBuilder().setMemberAdd(member(100 + port, "", port, learner)).build();
    }

    private static Command remove(long id) {
        return Command.newBuilder().setMemberRemove(MemberRemoveRequest.newBuilder().setID(id)).build();
    }

    private static Member member(long id, String name, int port, boolean learner) {
        return Member.newBuilder().setID(id).setName(name).addPeerURLs("http://127.0.0.1:" + (2380 + port))
                .setIsLearner(learner).build();
    }

    private static String peer(int port) {
        return "127.0.0.1:" + (2380 + port);
    }
}
