package io.cairn.server.node;

import io.cairn.api.etcd.Member;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The membership changes a leader takes, as etcd's {@code --strict-reconfig-check}: none while
 * raft's configuration still differs from the member table (an earlier change is under way; a
 * member added back on an address raft still lists would vote with an empty log as its earlier
 * incarnation), and none that would leave fewer started voters than a quorum. A member is
 * started once it has published its name, which it does once raft's configuration lists it.
 */
final class ReconfigurationCheck {
    private ReconfigurationCheck() {
    }

    /**
     * Why {@code command} must not be proposed now, or null to propose it.
     *
     * @param table        the member table
     * @param raftVoters   raft's voters, as {@code host:port}
     * @param raftLearners raft's learners, as {@code host:port}
     */
    static ServerError refusal(Command command, List<Member> table, Set<String> raftVoters, Set<String> raftLearners) {
        return switch (command.getOpCase()) {
            case MEMBER_ADD -> add(command.getMemberAdd(), table, raftVoters, raftLearners);
            case MEMBER_REMOVE -> remove(command.getMemberRemove().getID(), table, raftVoters, raftLearners);
            case MEMBER_PROMOTE -> promote(command.getMemberPromote().getID(), table, raftVoters, raftLearners);
            default -> null;
        };
    }

    private static ServerError add(Member added, List<Member> table, Set<String> raftVoters, Set<String> raftLearners) {
        String peer = Membership.hostPort(added.getPeerURLs(0));
        if (table.stream().anyMatch(m -> m.getPeerURLsList().stream().anyMatch(u -> Membership.hostPort(u).equals(peer)))) {
            return null; // applying it answers "Peer URLs already exists"
        }
        if (raftVoters.contains(peer) || raftLearners.contains(peer)) {
            return ServerError.RECONFIGURATION_UNDER_WAY; // a removal of that address is
        }
        // a learner counts for no quorum: it may come while a change is under way
        return added.getIsLearner() ? null
                : orElse(underWay(table, raftVoters, raftLearners), quorumStarted(table, 1, 1));
    }

    private static ServerError promote(long id, List<Member> table, Set<String> raftVoters, Set<String> raftLearners) {
        Member learner = table.stream().filter(m -> m.getID() == id && m.getIsLearner()).findFirst().orElse(null);
        if (learner == null) {
            return null; // applying it answers "member not found" or "can only promote a learner member"
        }
        if (!raftLearners.contains(Membership.hostPort(learner.getPeerURLs(0)))) {
            return ServerError.LEARNER_NOT_READY; // raft has not taken it, so it has no log to vote with
        }
        return orElse(underWay(table, raftVoters, raftLearners), quorumStarted(table, 1, 1));
    }

    private static ServerError remove(long id, List<Member> table, Set<String> raftVoters, Set<String> raftLearners) {
        Member removed = table.stream().filter(m -> m.getID() == id).findFirst().orElse(null);
        if (removed == null) {
            return null; // applying it answers "member not found"
        }
        String peer = Membership.hostPort(removed.getPeerURLs(0));
        if (!raftVoters.contains(peer) && !raftLearners.contains(peer)) {
            return null; // added but never caught up: taking it back undoes a change under way
        }
        ServerError underWay = underWay(table, raftVoters, raftLearners);
        if (underWay != null || removed.getIsLearner()) {
            return underWay;
        }
        return quorumStarted(table, -1, removed.getName().isEmpty() ? 0 : -1);
    }

    /** Whether raft's configuration lists other members than the table does. */
    private static ServerError underWay(List<Member> table, Set<String> raftVoters, Set<String> raftLearners) {
        Set<String> voters = new TreeSet<>();
        Set<String> learners = new TreeSet<>();
        for (Member m : table) {
            (m.getIsLearner() ? learners : voters).add(Membership.hostPort(m.getPeerURLs(0)));
        }
        return voters.equals(new TreeSet<>(raftVoters)) && learners.equals(new TreeSet<>(raftLearners))
                ? null : ServerError.RECONFIGURATION_UNDER_WAY;
    }

    /**
     * Refuses a change of {@code voterChange} voters and {@code startedChange} started ones (a
     * voter added counts as started, as etcd counts it) unless the started voters after it make
     * a quorum of the voters after it.
     */
    private static ServerError quorumStarted(List<Member> table, int voterChange, int startedChange) {
        int voters = voterChange;
        int started = startedChange;
        for (Member m : table) {
            if (!m.getIsLearner()) {
                voters++;
                started += m.getName().isEmpty() ? 0 : 1;
            }
        }
        return started >= voters / 2 + 1 ? null : ServerError.NOT_ENOUGH_STARTED_MEMBERS;
    }

    private static ServerError orElse(ServerError first, ServerError second) {
        return first != null ? first : second;
    }
}
