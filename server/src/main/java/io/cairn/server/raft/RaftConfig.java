package io.cairn.server.raft;

import java.nio.file.Path;
import java.util.List;

/**
 * What the raft layer needs to start a member.
 *
 * @param dataDir           where the raft log and meta live (created if absent)
 * @param self              this member's peer address, {@code host:port}
 * @param initialMembers    the peer addresses of the initial voting members
 * @param electionTimeoutMs the election timeout
 * @param heartbeatIntervalMs how often the leader sends heartbeats; JRaft takes it as the ratio
 *                          of the election timeout to it
 */
public record RaftConfig(Path dataDir, String self, List<String> initialMembers, int electionTimeoutMs,
                         int heartbeatIntervalMs) {
    public static final String GROUP_ID = "cairn";
}
