package io.cairn.server.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What the state machine needs to take and install raft snapshots of the member's state. */
public interface StateSnapshots {
    /**
     * Writes a consistent copy of the state into the empty directory {@code dir}, while writes
     * go on; returns the names of the files written. The copy holds its own applied index,
     * which may be past the index raft records for the snapshot.
     */
    List<String> save(Path dir) throws IOException;

    /** Replaces the state with the copy in {@code dir}. Apply thread only. */
    void install(Path dir) throws IOException;

    /** The raft index the current state reflects. */
    long appliedIndex();
}
