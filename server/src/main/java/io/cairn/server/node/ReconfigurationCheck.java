package io.cairn.server.node;

import io.cairn.api.etcd.Member;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode.Peers;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The membership changes a leader takes, as etcd's {@code --strict-reconfig-check}. None while
 * raft's configuration still differs from the member table: an earlier change is under way (and
 * a member added back on an address raft still lists would vote with an empty log as its earlier
 * incarnation). None that would leave fewer started voters than a quorum, a member being started
 * once it has published its name, which it does once raft's configuration lists it. No voter
 * added while a voter does not answer the leader, and none removed when the voters that answer,
 * less it, would not make a quorum. No learner promoted that does not answer the leader.
 */
final class ReconfigurationCheck {
    private ReconfigurationCheck() {
    }

    /** Why {@code command} must not be proposed now, or null to propose it. */
    static ServerError refusal(Command command, Supplier<List<Member>> table, Supplier<Peers> raft) {
        return switch (command.getOpCase()) {
            case MEMBER_ADD -> add(command.getMemberAdd(), table.get(), raft.get());
            case MEMBER_REMOVE -> remove(command.getMemberRemove().getID(), table.get(), raft.get());
            case MEMBER_PROMOTE -> promote(command.getMemberPromote().getID(), table.get(), raft.get());
            default -> null;
        };
    }

    private static ServerError add(Member added, List<Member> table, Peers raft) {
        String peer = peer(added);
        if (table.stream().anyMatch(m -> m.getPeerURLsList().stream().anyMatch(u -> Membership.hostPort(u).equals(peer)))) {
            return null; // applying it answers "Peer URLs already exists"
        }
        if (raft.voters().contains(peer) || raft.learners().contains(peer)) {
            return ServerError.RECONFIGURATION_UNDER_WAY; // its removal is
        }
        if (added.getIsLearner()) {
            return null; // counts for no quorum
        }
        ServerError refused = underWay(table, raft);
        if (refused != null) {
            return refused;
        }
        // as etcd: the new voter is not started yet, but one started member may take a second
        int voters = voters(table) + 1;
        int started = started(table);
        if (!(started == 1 && voters == 2) && started < quorum(voters)) {
            return ServerError.NOT_ENOUGH_STARTED_MEMBERS;
        }
        return raft.aliveVoters().containsAll(raft.voters()) ? null : ServerError.UNHEALTHY;
    }

    private static ServerError remove(long id, List<Member> table, Peers raft) {
        Member removed = table.stream().filter(m -> m.getID() == id).findFirst().orElse(null);
        if (removed == null || removed.getIsLearner() || !raft.voters().contains(peer(removed))) {
            // "member not found" when applied; a learner counts for no quorum; a voter raft has
            // not taken yet never caught up, and taking it back undoes a change under way
            return null;
        }
        ServerError refused = underWay(table, raft);
        if (refused != null) {
            return refused;
        }
        int voters = voters(table) - 1;
        if (started(table) - (removed.getName().isEmpty() ? 0 : 1) < quorum(voters)) {
            return ServerError.NOT_ENOUGH_STARTED_MEMBERS;
        }
        String peer = peer(removed);
        if (!raft.aliveVoters().contains(peer)) {
            return null; // a member that is down is no part of the quorum that answers
        }
        return raft.aliveVoters().size() - 1 < quorum(voters) ? ServerError.UNHEALTHY : null;
    }

    private static ServerError promote(long id, List<Member> table, Peers raft) {
        Member learner = table.stream().filter(m -> m.getID() == id && m.getIsLearner()).findFirst().orElse(null);
        if (learner == null) {
            return null; // applying it answers "member not found" or "can only promote a learner member"
        }
        if (!raft.aliveLearners().contains(peer(learner))) {
            return ServerError.LEARNER_NOT_READY; // not taken by raft yet, or not answering the leader
        }
        ServerError refused = underWay(table, raft);
        if (refused != null) {
            return refused;
        }
        // as etcd, the learner counts as started
        return started(table) + 1 < quorum(voters(table) + 1) ? ServerError.NOT_ENOUGH_STARTED_MEMBERS : null;
    }

    /** Whether raft's configuration lists other members than the table does. */
    private static ServerError underWay(List<Member> table, Peers raft) {
        Set<String> voters = new TreeSet<>();
        Set<String> learners = new TreeSet<>();
        for (Member m : table) {
            (m.getIsLearner() ? learners : voters).add(peer(m));
        }
        return voters.equals(new TreeSet<>(raft.voters())) && learners.equals(new TreeSet<>(raft.learners()))
                ? null : ServerError.RECONFIGURATION_UNDER_WAY;
    }

    private static int voters(List<Member> table) {
        return (int) table.stream().filter(m -> !m.getIsLearner()).count();
    }

    private static int started(List<Member> table) {
        return (int) table.stream().filter(m -> !m.getIsLearner() && !m.getName().isEmpty()).count();
    }

    private static int quorum(int voters) {
        return voters / 2 + 1;
    }

    private static String peer(Member m) {
        return Membership.hostPort(m.getPeerURLs(0));
    }
}
