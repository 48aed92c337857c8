package io.cairn.server.raft;

import java.nio.file.Path;
import java.util.List;

/**
 * What the raft layer needs to start a member.
 *
 * @param dataDir           where the raft log and meta live (created if absent)
 * @param self              this member's peer address, {@code host:port}
 * @param initialMembers    the peer addresses of the initial voting members
 * @param electionTimeoutMs the election timeout; heartbeats go out every tenth of it
 */
public record RaftConfig(Path dataDir, String self, List<String> initialMembers, int electionTimeoutMs) {
    public static final String GROUP_ID = "cairn";
}
