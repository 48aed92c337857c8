package io.cairn.console.cluster;

import io.cairn.client.Cluster;
import io.cairn.client.Maintenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One member as the dashboard shows it: what the member list says, plus what the member itself
 * answers to a status call (as {@code etcdctl endpoint status} asks each endpoint), or why it
 * did not answer.
 */
public record MemberStatus(Cluster.Member member, Optional<Maintenance.Status> status, String problem) {

    public String name() {
        return member.name().isEmpty() ? "(unstarted)" : member.name();
    }

    public String idHex() {
        return Long.toHexString(member.id());
    }

    public String clientUrl() {
        return member.clientUrls().isEmpty() ? "" : member.clientUrls().get(0);
    }

    public boolean leader() {
        return status.map(Maintenance.Status::isLeader).orElse(false);
    }

    /** "healthy", or what is wrong: unreachable, no leader, the member's own errors. */
    public String health() {
        if (status.isEmpty()) {
            return problem;
        }
        Maintenance.Status s = status.get();
        if (!s.errors().isEmpty()) {
            return String.join("; ", s.errors());
        }
        return s.leader() == 0 ? "no leader" : "healthy";
    }

    public boolean healthy() {
        return "healthy".equals(health());
    }

    /**
     * Asks every member at once, as the session's person (with auth on, even a member's status
     * needs a user); a member that does not answer within 3 s is shown unreachable.
     */
    public static List<MemberStatus> of(ConsoleSession session) {
        List<Cluster.Member> members = session.client().cluster().sync().list().members();
        session.keepMembers(members.stream().filter(m -> !m.clientUrls().isEmpty()).map(m -> m.clientUrls().get(0)).toList());
        List<CompletableFuture<Maintenance.Status>> calls = new ArrayList<>();
        for (Cluster.Member m : members) {
            calls.add(m.clientUrls().isEmpty()
                    ? CompletableFuture.failedFuture(new IllegalStateException("not started"))
                    : session.member(m.clientUrls().get(0)).maintenance().status().orTimeout(3, TimeUnit.SECONDS));
        }
        List<MemberStatus> rows = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            try {
                rows.add(new MemberStatus(members.get(i), Optional.of(calls.get(i).join()), ""));
            } catch (RuntimeException e) {
                rows.add(new MemberStatus(members.get(i), Optional.empty(), "unreachable: " + CairnErrors.describe(e)));
            }
        }
        return rows;
    }
}
