package io.cairn.server.apply;

import com.google.protobuf.Message;
import io.cairn.api.etcd.AlarmType;
import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerError;
import io.cairn.server.storage.mvcc.WriteBatch;

/**
 * While the NOSPACE alarm is raised, refuses what would grow the database — puts, txns with
 * puts, lease grants and config changes (each leaves an audit record) — and lets deletes, compaction and alarm changes through, as etcd does.
 */
public final class CappedApplier implements Applier {
    private final AlarmStore alarms;
    private final Applier next;

    public CappedApplier(AlarmStore alarms, Applier next) {
        this.alarms = alarms;
        this.next = next;
    }

    @Override
    public Message apply(WriteBatch batch, Command command) {
        boolean grows = command.hasPut() || command.hasLeaseGrant() || command.hasLeasedTxn() || command.hasConfigChange()
                || (command.hasTxn() && KvApplier.hasPuts(command.getTxn()));
        if (grows && alarms.isActive(AlarmType.NOSPACE)) {
            throw ServerError.NO_SPACE.exception();
        }
        return next.apply(batch, command);
    }
}
