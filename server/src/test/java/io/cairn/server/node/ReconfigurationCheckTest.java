package io.cairn.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcd.Member;
import io.cairn.api.etcd.MemberPromoteRequest;
import io.cairn.api.etcd.MemberRemoveRequest;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode.Peers;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconfigurationCheckTest {
    private static final Member A = member(1, "a", false);
    private static final Member B = member(2, "b", false);
    private static final Member C = member(3, "c", false);
    private static final Member UNSTARTED = member(4, "", false);
    private static final Member LEARNER = member(4, "", true);

    @Test
    void aChangeIsTakenWhenRaftListsWhatTheTableDoesAndEveryVoterAnswers() {
        Peers all = voters(Set.of(1, 2, 3), Set.of(1, 2, 3));
        assertThat(refusal(add(5, false), List.of(A, B, C), all)).isNull();
        assertThat(refusal(remove(3), List.of(A, B, C), all)).isNull();
    }

    @Test
    void noChangeWhileAnEarlierOneIsUnderWay() {
        // an added member raft does not list yet
        assertThat(refusal(add(5, false), List.of(A, B, UNSTARTED), voters(Set.of(1, 2), Set.of(1, 2))))
                .isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
        assertThat(refusal(remove(2), List.of(A, B, UNSTARTED), voters(Set.of(1, 2), Set.of(1, 2))))
                .isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
        // a removed member raft still lists: added back on its address, its empty log would vote
        assertThat(refusal(add(3, false), List.of(A, B), voters(Set.of(1, 2, 3), Set.of(1, 2, 3))))
                .isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
        assertThat(refusal(add(3, true), List.of(A, B), voters(Set.of(1, 2, 3), Set.of(1, 2, 3))))
                .isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
    }

    @Test
    void anAddedMemberThatNeverCaughtUpAndALearnerMayAlwaysBeTakenBack() {
        assertThat(refusal(remove(4), List.of(A, B, UNSTARTED), voters(Set.of(1, 2), Set.of(1, 2)))).isNull();
        assertThat(refusal(remove(4), List.of(A, B, C, LEARNER), voters(Set.of(1, 2), Set.of(1, 2)))).isNull();
    }

    @Test
    void noChangeLeavesFewerStartedVotersThanAQuorum() {
        Member unstarted5 = member(5, "", false);
        Peers raft = voters(Set.of(1, 2, 4, 5), Set.of(1, 2, 4, 5));
        // two started of four: a fifth makes two started of five
        assertThat(refusal(add(6, false), List.of(A, B, UNSTARTED, unstarted5), raft))
                .isEqualTo(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
        // removing a started one leaves one started of three; an unstarted one, two of three
        assertThat(refusal(remove(2), List.of(A, B, UNSTARTED, unstarted5), raft))
                .isEqualTo(ServerError.NOT_ENOUGH_STARTED_MEMBERS);
        assertThat(refusal(remove(5), List.of(A, B, UNSTARTED, unstarted5), raft)).isNull();
        // as etcd, one started member may take a second, to restore a cluster from a backup
        assertThat(refusal(add(6, false), List.of(A), voters(Set.of(1), Set.of(1)))).isNull();
    }

    @Test
    void noVoterAddedWhileOneDoesNotAnswerNorOneRemovedThatTheQuorumNeeds() {
        // three members, the third down
        Peers thirdDown = voters(Set.of(1, 2, 3), Set.of(1, 2));
        assertThat(refusal(add(5, false), List.of(A, B, C), thirdDown)).isEqualTo(ServerError.UNHEALTHY);
        // removing a live one would leave a joint configuration whose new half needs the dead one
        assertThat(refusal(remove(2), List.of(A, B, C), thirdDown)).isEqualTo(ServerError.UNHEALTHY);
        // removing the dead one is how an operator replaces it
        assertThat(refusal(remove(3), List.of(A, B, C), thirdDown)).isNull();
        // a learner counts for no quorum
        assertThat(refusal(add(5, true), List.of(A, B, C), thirdDown)).isNull();
    }

    @Test
    void aLearnerIsPromotedOnlyOnceRaftHasItAndItAnswers() {
        Command promote = Command.newBuilder().setMemberPromote(MemberPromoteRequest.newBuilder().setID(4)).build();
        List<Member> table = List.of(A, B, LEARNER);
        assertThat(refusal(promote, table, new Peers(peers(1, 2), peers(4), peers(1, 2), peers(4)))).isNull();
        // raft lists it but it does not answer, or raft does not list it yet
        assertThat(refusal(promote, table, new Peers(peers(1, 2), peers(4), peers(1, 2), peers())))
                .isEqualTo(ServerError.LEARNER_NOT_READY);
        assertThat(refusal(promote, table, new Peers(peers(1, 2), peers(), peers(1, 2), peers())))
                .isEqualTo(ServerError.LEARNER_NOT_READY);
        // answering, while a voter's change is under way
        assertThat(refusal(promote, List.of(A, B, member(9, "", false), LEARNER),
                new Peers(peers(1, 2), peers(4), peers(1, 2), peers(4)))).isEqualTo(ServerError.RECONFIGURATION_UNDER_WAY);
    }

    @Test
    void whatApplyingAnswersIsLeftToIt() {
        Peers raft = voters(Set.of(1, 2, 4), Set.of(1, 2, 4));
        // its address is taken: "Peer URLs already exists"
        assertThat(refusal(add(4, false), List.of(A, B, UNSTARTED), raft)).isNull();
        // not a learner, or nobody: "can only promote a learner member", "member not found"
        Command promoteVoter = Command.newBuilder().setMemberPromote(MemberPromoteRequest.newBuilder().setID(1)).build();
        assertThat(refusal(promoteVoter, List.of(A, B, C), raft)).isNull();
        assertThat(refusal(remove(9), List.of(A, B, C), raft)).isNull();
    }

    @Test
    void otherCommandsAreNotChecked() {
        Command publish = Command.newBuilder().setMemberPublish(A).build();
        assertThat(ReconfigurationCheck.refusal(publish, () -> {
            throw new AssertionError("the table is not read");
        }, () -> {
            throw new AssertionError("raft is not asked");
        })).isNull();
    }

    private static ServerError refusal(Command c, List<Member> table, Peers raft) {
        return ReconfigurationCheck.refusal(c, () -> table, () -> raft);
    }

    private static Peers voters(Set<Integer> voters, Set<Integer> alive) {
        return new Peers(peers(voters.stream().mapToInt(i -> i).toArray()), Set.of(),
                peers(alive.stream().mapToInt(i -> i).toArray()), Set.of());
    }

    private static Command add(int port, boolean learner) {
        return Command.newBuilder().setMemberAdd(member(100 + port, "", learner).toBuilder()
                .setPeerURLs(0, url(port))).build();
    }

    private static Command remove(long id) {
        return Command.newBuilder().setMemberRemove(MemberRemoveRequest.newBuilder().setID(id)).build();
    }

    /** A member whose id is also its port's offset. */
    private static Member member(long id, String name, boolean learner) {
        return Member.newBuilder().setID(id).setName(name).addPeerURLs(url((int) id)).setIsLearner(learner).build();
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + (2380 + port);
    }

    private static Set<String> peers(int... ports) {
        Set<String> out = new java.util.TreeSet<>();
        for (int p : ports) {
            out.add("127.0.0.1:" + (2380 + p));
        }
        return out;
    }
}
