package io.cairn.server.apply;

import com.google.protobuf.Message;
import io.cairn.server.command.Command;
import io.cairn.server.storage.mvcc.WriteBatch;

/**
 * One link of the apply chain: applies a committed command within the raft batch's write
 * batch. Must be deterministic — the same commands give the same state on every member. An
 * expected failure throws {@link io.cairn.server.errors.ServerException} before any write.
 */
@FunctionalInterface
public interface Applier {
    /** The response to send to the proposer, its header carrying only the revision. */
    Message apply(WriteBatch batch, Command command);
}
