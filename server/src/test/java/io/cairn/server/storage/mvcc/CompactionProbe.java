package io.cairn.server.storage.mvcc;

/** What tests in other packages may see of the background compaction. */
public final class CompactionProbe {
    private CompactionProbe() {
    }

    public static int batchSize() {
        return Compactor.BATCH;
    }

    public static long batches(MvccStore store) {
        return store.compactionBatches();
    }
}
