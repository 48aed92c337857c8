package io.cairn.server.raft;

import java.nio.file.Path;
import java.util.List;

/** A state machine's snapshots for tests that take none. */
final class NoSnapshots implements StateSnapshots {
    @Override
    public List<String> save(Path target) {
        return List.of();
    }

    @Override
    public void install(Path source) {
    }

    @Override
    public long appliedIndex() {
        return 0;
    }
}
