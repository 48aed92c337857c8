package io.cairn.client;

import io.cairn.api.etcd.ClusterGrpc;
import io.cairn.api.etcd.MemberAddRequest;
import io.cairn.api.etcd.MemberListRequest;
import io.cairn.api.etcd.MemberPromoteRequest;
import io.cairn.api.etcd.MemberRemoveRequest;
import io.cairn.api.etcd.MemberUpdateRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster's members, as etcd's Cluster service keeps them: list, add, remove, update,
 * promote. Any member takes a change and puts it through raft; the answer comes once it is
 * applied, with the members as they then are.
 *
 * <p>Every call answers a future completed on a gRPC thread (do not block in its callbacks),
 * or failed with a {@link CairnException} carrying etcd's text. {@link #list()} is retried on
 * another endpoint when one is unavailable; changes never are, since one that may have reached
 * a member must not be made twice. Headers carry no revision (0), as in etcd.
 */
public final class Cluster {
    private final Calls calls;
    private final Sync sync = new Sync();

    Cluster(Calls calls) {
        this.calls = calls;
    }

    /**
     * One member.
     *
     * @param id         the member's id, unsigned in etcd (print it with {@link Long#toHexString})
     * @param name       its name; empty for a member added but not yet started
     * @param peerUrls   where the other members reach it
     * @param clientUrls where clients reach it; empty until it has started
     * @param learner    whether it is a learner: it receives the log but does not vote, and
     *                   answers only status and serializable reads
     */
    public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
        /** Checks and copies the components: the record is immutable. */
        public Member {
            peerUrls = List.copyOf(peerUrls);
            clientUrls = List.copyOf(clientUrls);
        }
    }

    /** The members, in the answering member's view, with its header. */
    public record MemberList(Header header, List<Member> members) {
        /** Checks and copies the components: the record is immutable. */
        public MemberList {
            members = List.copyOf(members);
        }
    }

    /**
     * A member added.
     *
     * @param member  the new member, with the id it was given (start it with those peer URLs
     *                and {@code --initial-cluster-state existing})
     * @param members every member, the new one included
     */
    public record MemberAdded(Header header, Member member, List<Member> members) {
        /** Checks and copies the components: the record is immutable. */
        public MemberAdded {
            members = List.copyOf(members);
        }
    }

    /**
     * Every member, learners included. Asked for as a linearizable read: etcd 3.6 answers once
     * the answering member has applied every change committed before; etcd 3.5 and Cairn
     * answer from what that member has applied, which may lag a change just made through
     * another member by a moment.
     */
    public CompletableFuture<MemberList> list() {
        return calls.unary(ClusterGrpc.getMemberListMethod(), MemberListRequest.newBuilder().setLinearizable(true).build(), true)
                .thenApply(r -> new MemberList(Wire.header(r.getHeader()), members(r.getMembersList())));
    }

    /**
     * Adds a member that will be reached at {@code peerUrls}; start it afterwards. A voting
     * member counts toward the quorum at once, so add one at a time, and start each before the
     * next; a learner does not count until promoted. Fails with "etcdserver: Peer URLs already
     * exists" when a member has one of those URLs, "etcdserver: member ID already exist" when
     * the same URLs were added within the same second (the id is made of them and the time),
     * "etcdserver: given member URLs are invalid" when a URL does not parse, and (etcd)
     * "etcdserver: too many learner members in cluster".
     */
    public CompletableFuture<MemberAdded> add(List<String> peerUrls, boolean learner) {
        MemberAddRequest request = MemberAddRequest.newBuilder().addAllPeerURLs(peerUrls).setIsLearner(learner).build();
        return calls.unary(ClusterGrpc.getMemberAddMethod(), request, false)
                .thenApply(r -> new MemberAdded(Wire.header(r.getHeader()), member(r.getMember()), members(r.getMembersList())));
    }

    /**
     * Removes a member: it stops taking part and shuts itself down. Fails with "etcdserver:
     * member not found" when there is no member {@code id}.
     */
    public CompletableFuture<MemberList> remove(long id) {
        return calls.unary(ClusterGrpc.getMemberRemoveMethod(), MemberRemoveRequest.newBuilder().setID(id).build(), false)
                .thenApply(r -> new MemberList(Wire.header(r.getHeader()), members(r.getMembersList())));
    }

    /**
     * Changes where the other members reach member {@code id}. Fails with "etcdserver: member
     * not found", or "etcdserver: Peer URLs already exists" when another member has one of them.
     */
    public CompletableFuture<MemberList> update(long id, List<String> peerUrls) {
        MemberUpdateRequest request = MemberUpdateRequest.newBuilder().setID(id).addAllPeerURLs(peerUrls).build();
        return calls.unary(ClusterGrpc.getMemberUpdateMethod(), request, false)
                .thenApply(r -> new MemberList(Wire.header(r.getHeader()), members(r.getMembersList())));
    }

    /**
     * Makes learner {@code id} a voting member. Fails with "etcdserver: member not found",
     * "etcdserver: can only promote a learner member" when it votes already, and (etcd)
     * "etcdserver: can only promote a learner member which is in sync with leader" while it
     * still catches up: try again later.
     */
    public CompletableFuture<MemberList> promote(long id) {
        return calls.unary(ClusterGrpc.getMemberPromoteMethod(), MemberPromoteRequest.newBuilder().setID(id).build(), false)
                .thenApply(r -> new MemberList(Wire.header(r.getHeader()), members(r.getMembersList())));
    }

    /** The same calls, waiting for their answers. */
    public Sync sync() {
        return sync;
    }

    private static Member member(io.cairn.api.etcd.Member m) {
        return new Member(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList(), m.getIsLearner());
    }

    private static List<Member> members(List<io.cairn.api.etcd.Member> members) {
        return members.stream().map(Cluster::member).toList();
    }

    /** Blocking twins of {@link Cluster}'s calls; failures are thrown as {@link CairnException}. */
    public final class Sync {
        /** @see Cluster#list() */
        public MemberList list() {
            return Calls.await(Cluster.this.list());
        }

        /** @see Cluster#add(List, boolean) */
        public MemberAdded add(List<String> peerUrls, boolean learner) {
            return Calls.await(Cluster.this.add(peerUrls, learner));
        }

        /** @see Cluster#remove(long) */
        public MemberList remove(long id) {
            return Calls.await(Cluster.this.remove(id));
        }

        /** @see Cluster#update(long, List) */
        public MemberList update(long id, List<String> peerUrls) {
            return Calls.await(Cluster.this.update(id, peerUrls));
        }

        /** @see Cluster#promote(long) */
        public MemberList promote(long id) {
            return Calls.await(Cluster.this.promote(id));
        }
    }
}
