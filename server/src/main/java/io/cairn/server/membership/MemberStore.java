package io.cairn.server.membership;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcd.Member;
import io.cairn.api.etcd.MemberUpdateRequest;
import io.cairn.server.command.ClusterBootstrap;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.Schema;
import io.cairn.server.storage.mvcc.WriteBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members of the cluster, changed only by applied commands. Read anywhere through an
 * immutable snapshot ordered by member id. Empty until the first leader bootstraps it.
 */
public final class MemberStore {
    private static final Logger log = LoggerFactory.getLogger(MemberStore.class);
    private static final Comparator<Member> BY_ID = (a, b) -> Long.compareUnsigned(a.getID(), b.getID());

    private volatile List<Member> members;
    private volatile long clusterId;

    private MemberStore(List<Member> members, long clusterId) {
        this.members = members;
        this.clusterId = clusterId;
    }

    public static MemberStore load(Backend backend) {
        MemberStore store = new MemberStore(List.of(), 0);
        store.reload(backend);
        return store;
    }

    /** Reads the members again, after the backend was replaced. */
    public void reload(Backend backend) {
        List<Member> members = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : backend.scan(Schema.MEMBERS)) {
            try {
                members.add(Member.parseFrom(e.getValue()));
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("corrupt member record", ex);
            }
        }
        members.sort(BY_ID);
        this.members = List.copyOf(members);
        this.clusterId = backend.readMeta(Schema.Meta.CLUSTER_ID).orElse(0);
    }

    public List<Member> members() {
        return members;
    }

    /** The cluster id, or 0 before the membership was bootstrapped. */
    public long clusterId() {
        return clusterId;
    }

    public Optional<Member> byId(long id) {
        return members.stream().filter(m -> m.getID() == id).findFirst();
    }

    /** The member one of whose peer URLs is {@code url}. */
    public Optional<Member> byPeerUrl(String url) {
        return members.stream().filter(m -> m.getPeerURLsList().contains(url)).findFirst();
    }

    /**
     * Records the initial membership and cluster id, once: a later bootstrap (two members
     * proposed one, or a change waited for one) is a no-op, so it can never bring back a member
     * removed since. The members are in place before the cluster id is: readers on other
     * threads take a non-zero id to mean the table is bootstrapped, and must never find it
     * empty then (a /health in between answered "no leader", its leader being in no table).
     */
    public void bootstrap(WriteBatch batch, ClusterBootstrap b) {
        if (clusterId != 0) {
            return;
        }
        List<Member> next = new ArrayList<>(b.getMembersList());
        next.forEach(m -> write(batch, m));
        set(batch, next);
        batch.putMeta(Schema.Meta.CLUSTER_ID, b.getClusterId());
        clusterId = b.getClusterId();
        batch.onRollback(() -> clusterId = 0);
    }

    /**
     * A running member's own name and client URLs. Only a member in the table is updated: a
     * publish proposed just before the member's removal applied must not bring it back.
     */
    public void publish(WriteBatch batch, Member self) {
        Member current = byId(self.getID()).orElseThrow(ServerError.MEMBER_NOT_FOUND::exception);
        replace(batch, self.getID(), current.toBuilder()
                .setName(self.getName()).clearClientURLs().addAllClientURLs(self.getClientURLsList()).build());
    }

    public void add(WriteBatch batch, Member m) {
        if (byId(m.getID()).isPresent()) {
            throw ServerError.MEMBER_EXIST.exception();
        }
        requireFreePeerUrls(m.getID(), m.getPeerURLsList());
        replace(batch, m.getID(), m);
        // one line per change, as etcd's "added member": replaying a log repeats them, in order
        log.info("Added member {} at {}{}", Long.toHexString(m.getID()), m.getPeerURLsList(), m.getIsLearner() ? " as a learner" : "");
    }

    public void remove(WriteBatch batch, long id) {
        if (byId(id).isEmpty()) {
            throw ServerError.MEMBER_NOT_FOUND.exception();
        }
        List<Member> next = new ArrayList<>(members);
        next.removeIf(m -> m.getID() == id);
        batch.delete(Schema.MEMBERS, key(id));
        set(batch, next);
        log.info("Removed member {}", Long.toHexString(id));
    }

    public void update(WriteBatch batch, MemberUpdateRequest r) {
        Member current = byId(r.getID()).orElseThrow(ServerError.MEMBER_NOT_FOUND::exception);
        requireFreePeerUrls(r.getID(), r.getPeerURLsList());
        replace(batch, r.getID(), current.toBuilder().clearPeerURLs().addAllPeerURLs(r.getPeerURLsList()).build());
    }

    public void promote(WriteBatch batch, long id) {
        Member current = byId(id).orElseThrow(ServerError.MEMBER_NOT_FOUND::exception);
        if (!current.getIsLearner()) {
            throw ServerError.MEMBER_NOT_LEARNER.exception();
        }
        replace(batch, id, current.toBuilder().setIsLearner(false).build());
    }

    private void requireFreePeerUrls(long id, List<String> urls) {
        for (Member m : members) {
            if (m.getID() != id && m.getPeerURLsList().stream().anyMatch(urls::contains)) {
                throw ServerError.PEER_URL_EXIST.exception();
            }
        }
    }

    private void replace(WriteBatch batch, long id, Member member) {
        List<Member> next = new ArrayList<>(members);
        next.removeIf(m -> m.getID() == id);
        next.add(member);
        write(batch, member);
        set(batch, next);
    }

    /** Publishes the new table, which a failing command takes back with its writes. */
    private void set(WriteBatch batch, List<Member> next) {
        List<Member> before = members;
        batch.onRollback(() -> members = before);
        next.sort(BY_ID);
        members = List.copyOf(next);
    }

    private static void write(WriteBatch batch, Member m) {
        batch.put(Schema.MEMBERS, key(m.getID()), m.toByteArray());
    }

    private static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }
}
