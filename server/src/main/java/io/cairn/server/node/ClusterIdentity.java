package io.cairn.server.node;

import io.cairn.api.etcd.Member;
import io.cairn.server.command.ClusterBootstrap;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Member and cluster ids, derived as etcd derives them: a member's id from its peer URLs and
 * the cluster token (and, for a member added later, the time it was added); the cluster id
 * from its initial members' ids. Every member of a new cluster so computes the same ids.
 */
public final class ClusterIdentity {
    private ClusterIdentity() {
    }

    /** The id of a member with these peer URLs; {@code addedAtSeconds} is 0 for initial members. */
    public static long memberId(List<String> peerUrls, String token, long addedAtSeconds) {
        StringBuilder input = new StringBuilder();
        peerUrls.stream().sorted().forEach(input::append);
        input.append(token);
        if (addedAtSeconds != 0) {
            input.append(addedAtSeconds);
        }
        return first8(sha1(input.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public static long clusterId(Collection<Long> memberIds) {
        List<Long> ids = new ArrayList<>(memberIds);
        ids.sort(Long::compareUnsigned);
        ByteBuffer all = ByteBuffer.allocate(8 * ids.size());
        ids.forEach(all::putLong);
        return first8(sha1(all.array()));
    }

    /** The initial membership of a new cluster, as {@code --initial-cluster} describes it. */
    public static ClusterBootstrap bootstrap(Map<String, URI> initialCluster, String token) {
        ClusterBootstrap.Builder b = ClusterBootstrap.newBuilder();
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<String, URI> m : initialCluster.entrySet()) {
            String url = m.getValue().toString();
            long id = memberId(List.of(url), token, 0);
            ids.add(id);
            b.addMembers(Member.newBuilder().setID(id).setName(m.getKey()).addPeerURLs(url));
        }
        return b.setClusterId(clusterId(ids)).build();
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }

    private static long first8(byte[] hash) {
        return ByteBuffer.wrap(hash, 0, 8).getLong();
    }
}
