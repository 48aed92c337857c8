package io.cairn.server.node;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ids in every response header. Derived, as etcd derives them, from what all members
 * agree on — the initial cluster and its token — so every member computes the same cluster id
 * and each member the same id of its own across restarts.
 */
public record ClusterIdentity(long clusterId, long memberId) {

    public static ClusterIdentity derive(String self, Map<String, URI> initialCluster, String token) {
        List<Long> members = new ArrayList<>();
        long memberId = 0;
        for (Map.Entry<String, URI> m : initialCluster.entrySet()) {
            long id = first8(sha1((m.getValue().toString() + token).getBytes(StandardCharsets.UTF_8)));
            members.add(id);
            if (m.getKey().equals(self)) {
                memberId = id;
            }
        }
        members.sort(Long::compareUnsigned);
        ByteBuffer all = ByteBuffer.allocate(8 * members.size());
        members.forEach(all::putLong);
        return new ClusterIdentity(first8(sha1(all.array())), memberId);
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
