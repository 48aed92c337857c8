package io.cairn.console.views.keys;

import io.cairn.client.KeyValue;
import io.cairn.console.cluster.CairnErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * A key's recent versions. etcd keeps no list of them, only the store as of each revision, so
 * the history is read by walking back: the version before the one at revision R is the key as of
 * R's mod revision minus one, until the key did not exist then or that revision is compacted.
 */
public final class KeyHistory {
    /** How many versions are shown, the current one included. */
    public static final int MAX_VERSIONS = 20;

    private KeyHistory() {
    }

    /** Reads the key as of a revision; null when it did not exist then. */
    @FunctionalInterface
    public interface Reader {
        KeyValue at(long revision);
    }

    /**
     * The versions found, newest first, and why the walk stopped where it did when that is worth
     * saying ("older versions compacted"); empty when the versions reach back to the key's creation.
     */
    public record Versions(List<KeyValue> versions, String note) {
    }

    /** The versions of the key up to {@code current}, newest first; any failure but compaction is thrown. */
    public static Versions walkBack(KeyValue current, Reader reader) {
        List<KeyValue> versions = new ArrayList<>();
        versions.add(current);
        KeyValue kv = current;
        // version 1 is the put that created the key: before it, it did not exist
        while (kv.version() > 1) {
            if (versions.size() == MAX_VERSIONS) {
                return new Versions(versions, "Only the last " + MAX_VERSIONS + " versions are shown");
            }
            try {
                kv = reader.at(kv.modRevision() - 1);
            } catch (RuntimeException e) {
                if (compacted(e)) {
                    return new Versions(versions, "Older versions compacted");
                }
                throw e;
            }
            if (kv == null) {
                break;
            }
            versions.add(kv);
        }
        return new Versions(versions, "");
    }

    /** Whether a read failed because its revision was compacted away ("mvcc: required revision has been compacted"). */
    static boolean compacted(Throwable e) {
        return CairnErrors.describe(e).contains("required revision has been compacted");
    }
}
