package io.cairn.server.node;

import io.cairn.server.alarm.AlarmStore;
import io.cairn.server.membership.MemberStore;
import io.cairn.server.raft.StateSnapshots;
import io.cairn.server.storage.Backend;
import io.cairn.server.storage.Schema;
import io.cairn.server.storage.mvcc.MvccStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A member's whole state is its LMDB database: a snapshot is a compacted copy of it. */
final class NodeSnapshots implements StateSnapshots {
    private final Backend backend;
    private final MvccStore store;
    private final AlarmStore alarms;
    private final MemberStore members;
    private final Runnable reloadLeases;

    NodeSnapshots(Backend backend, MvccStore store, AlarmStore alarms, MemberStore members, Runnable reloadLeases) {
        this.backend = backend;
        this.store = store;
        this.alarms = alarms;
        this.members = members;
        this.reloadLeases = reloadLeases;
    }

    @Override
    public List<String> save(Path dir) throws IOException {
        backend.copyTo(dir);
        return List.of(Backend.DATA_FILE);
    }

    @Override
    public void install(Path dir) throws IOException {
        store.install(dir.resolve(Backend.DATA_FILE));
        alarms.reload(backend);
        members.reload(backend);
        reloadLeases.run();
    }

    @Override
    public long appliedIndex() {
        return backend.readMeta(Schema.Meta.APPLIED_INDEX).orElse(0);
    }
}
