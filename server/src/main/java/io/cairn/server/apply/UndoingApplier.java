package io.cairn.server.apply;

import com.google.protobuf.Message;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.mvcc.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first link of the chain: each command applies {@linkplain WriteBatch#atomically
 * atomically}, so one that fails, expectedly or not, is undone and answered with its error.
 * Whatever a client sends, no committed command stops a member; every member fails it the same
 * way, since apply is deterministic. A failure of the database or the disk, which may be this
 * member's alone, and a failure to undo escape, and stop the member.
 */
public final class UndoingApplier implements Applier {
    private static final Logger log = LoggerFactory.getLogger(UndoingApplier.class);
    private final Applier next;

    public UndoingApplier(Applier next) {
        this.next = next;
    }

    @Override
    public Message apply(WriteBatch batch, Command command) {
        try {
            return batch.atomically(() -> next.apply(batch, command));
        } catch (ServerException | WriteBatch.RollbackFailed e) {
            throw e;
        } catch (org.lmdbjava.LmdbException | java.io.UncheckedIOException e) {
            // the database or the disk failed here, perhaps on this member alone: the others
            // apply the command, so this one must not answer and carry on, but stop
            throw e;
        } catch (RuntimeException e) {
            // a check missed something: the command is undone, and the bug is worth a trace
            log.warn("A committed {} command failed to apply and was undone", command.getOpCase(), e);
            throw ServerError.APPLY_FAILED.exception();
        }
    }
}
