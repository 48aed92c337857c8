package io.cairn.server.node;

import io.cairn.api.etcd.Member;
import io.cairn.api.etcd.MemberAddRequest;
import io.cairn.api.etcd.MemberAddResponse;
import io.cairn.api.etcd.MemberListResponse;
import io.cairn.api.etcd.MemberPromoteRequest;
import io.cairn.api.etcd.MemberPromoteResponse;
import io.cairn.api.etcd.MemberRemoveRequest;
import io.cairn.api.etcd.MemberRemoveResponse;
import io.cairn.api.etcd.MemberUpdateRequest;
import io.cairn.api.etcd.MemberUpdateResponse;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.raft.RaftNode;
import io.cairn.server.time.WallClock;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Cluster service, transport-free. Membership changes are commands: once one is
 * applied, {@link MembershipDuties} brings raft's configuration in line with it. As in etcd,
 * response headers carry no revision.
 */
public final class ClusterServer {
    private final RaftNode raft;
    private final Membership membership;
    private final Headers headers;
    private final String token;
    private final Runnable membershipChanged;

    ClusterServer(RaftNode raft, Membership membership, Headers headers, String token, Runnable membershipChanged) {
        this.raft = raft;
        this.membership = membership;
        this.headers = headers;
        this.token = token;
        this.membershipChanged = membershipChanged;
    }

    public MemberListResponse memberList() {
        return MemberListResponse.newBuilder()
                .setHeader(headers.withoutRevision()).addAllMembers(membership.members()).build();
    }

    public CompletableFuture<MemberAddResponse> memberAdd(MemberAddRequest r) {
        requireUrls(r.getPeerURLsList());
        // the proposer stamps the id, so that every member applies the same one
        long id = ClusterIdentity.memberId(r.getPeerURLsList(), token, WallClock.nowMs() / 1000);
        Member member = Member.newBuilder().setID(id).addAllPeerURLs(r.getPeerURLsList())
                .setIsLearner(r.getIsLearner()).build();
        return change(Command.newBuilder().setMemberAdd(member).build()).thenApply(list ->
                MemberAddResponse.newBuilder().setHeader(headers.withoutRevision())
                        .setMember(member).addAllMembers(list.getMembersList()).build());
    }

    public CompletableFuture<MemberRemoveResponse> memberRemove(MemberRemoveRequest r) {
        return change(Command.newBuilder().setMemberRemove(r).build()).thenApply(list ->
                MemberRemoveResponse.newBuilder().setHeader(headers.withoutRevision())
                        .addAllMembers(list.getMembersList()).build());
    }

    public CompletableFuture<MemberUpdateResponse> memberUpdate(MemberUpdateRequest r) {
        requireUrls(r.getPeerURLsList());
        return change(Command.newBuilder().setMemberUpdate(r).build()).thenApply(list ->
                MemberUpdateResponse.newBuilder().setHeader(headers.withoutRevision())
                        .addAllMembers(list.getMembersList()).build());
    }

    public CompletableFuture<MemberPromoteResponse> memberPromote(MemberPromoteRequest r) {
        return change(Command.newBuilder().setMemberPromote(r).build()).thenApply(list ->
                MemberPromoteResponse.newBuilder().setHeader(headers.withoutRevision())
                        .addAllMembers(list.getMembersList()).build());
    }

    /**
     * Proposes a membership change, after the bootstrap of a new cluster's member table: the
     * first leader proposes that only on its next chore, and a change applied to the empty
     * table before it would find no member to remove, update or promote.
     */
    private CompletableFuture<MemberListResponse> change(Command command) {
        CompletableFuture<?> bootstrapped = membership.bootstrapped() || !membership.newCluster()
                ? CompletableFuture.completedFuture(null)
                : raft.propose(Command.newBuilder().setClusterBootstrap(membership.initial()).build());
        return bootstrapped.thenCompose(b -> raft.propose(command)).thenApply(m -> {
            membershipChanged.run();
            return (MemberListResponse) m;
        });
    }

    private static void requireUrls(List<String> urls) {
        if (urls.isEmpty()) {
            throw ServerError.MEMBER_BAD_URLS.exception();
        }
        for (String url : urls) {
            try {
                URI u = new URI(url);
                if (!"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
                    throw ServerError.MEMBER_BAD_URLS.exception();
                }
            } catch (URISyntaxException e) {
                throw ServerError.MEMBER_BAD_URLS.exception();
            }
        }
    }
}
