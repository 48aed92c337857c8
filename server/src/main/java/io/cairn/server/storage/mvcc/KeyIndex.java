package io.cairn.server.storage.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The revisions of one user key, in generations, as etcd keeps them. A generation runs from
 * the key's creation to its deletion (a tombstone, the generation's last revision); the last
 * generation is the live one and may be empty. Worked example: put at 2, put at 4, delete at 6,
 * put at 8 gives {@code [[2, 4, 6t], [8]]}; the key exists at revisions 2–5 and from 8.
 *
 * <p>Mutated by the apply thread only; read concurrently by range requests, hence the monitor.
 * Readers filter by revision, so they never see revisions newer than the store's published one.
 */
final class KeyIndex {
    private final ByteString key;
    private final ArrayList<List<Revision>> generations = new ArrayList<>(1);

    KeyIndex(ByteString key) {
        this.key = key;
        generations.add(new ArrayList<>(2));
    }

    ByteString key() {
        return key;
    }

    synchronized void put(Revision rev) {
        live().add(rev);
    }

    /** Ends the live generation with {@code rev}. The key must exist. */
    synchronized void tombstone(Revision rev) {
        if (live().isEmpty()) {
            throw new IllegalStateException("tombstone on a deleted key: " + key.toStringUtf8());
        }
        live().add(rev);
        generations.add(new ArrayList<>(2));
    }

    /**
     * Takes back {@code rev}, which must be the key's newest revision: the put or the tombstone
     * of a command that failed. Undoes exactly what {@link #put} or {@link #tombstone} did.
     */
    synchronized void revert(Revision rev, boolean tombstone) {
        if (tombstone) {
            if (!live().isEmpty() || generations.size() < 2) {
                throw new IllegalStateException("no tombstone to revert on " + key.toStringUtf8());
            }
            generations.remove(generations.size() - 1);
        }
        List<Revision> g = live();
        if (g.isEmpty() || !g.get(g.size() - 1).equals(rev)) {
            throw new IllegalStateException("revision " + rev + " is not the newest of " + key.toStringUtf8());
        }
        g.remove(g.size() - 1);
    }

    synchronized boolean holds(Revision rev) {
        for (List<Revision> g : generations) {
            if (g.contains(rev)) {
                return true;
            }
        }
        return false;
    }

    /** The revision holding the key's value at store revision {@code atRev}, or null if none. */
    synchronized Revision get(long atRev) {
        List<Revision> g = findGeneration(atRev);
        if (g == null) {
            return null;
        }
        for (int i = g.size() - 1; i >= 0; i--) {
            if (g.get(i).main() <= atRev) {
                return g.get(i);
            }
        }
        return null;
    }

    private List<Revision> findGeneration(long atRev) {
        int last = generations.size() - 1;
        for (int i = last; i >= 0; i--) {
            List<Revision> g = generations.get(i);
            if (g.isEmpty()) {
                continue;
            }
            if (i != last && g.get(g.size() - 1).main() <= atRev) {
                return null; // deleted at or before atRev, and not recreated by then
            }
            if (g.get(0).main() <= atRev) {
                return g;
            }
        }
        return null;
    }

    /**
     * Drops the revisions that compaction at {@code atRev} supersedes: every generation
     * deleted at or before {@code atRev}, and in the generation alive at {@code atRev} every
     * revision older than the newest one at or before it. Adds the revisions at or below
     * {@code atRev} that stay to {@code keep}.
     */
    synchronized void compact(long atRev, Set<Revision> keep) {
        int genIdx = 0;
        List<Revision> g = generations.get(0);
        while (genIdx < generations.size() - 1 && g.get(g.size() - 1).main() <= atRev) {
            genIdx++;
            g = generations.get(genIdx);
        }
        int revIndex = -1;
        for (int i = g.size() - 1; i >= 0; i--) {
            if (g.get(i).main() <= atRev) {
                keep.add(g.get(i));
                revIndex = i;
                break;
            }
        }
        if (!g.isEmpty()) {
            if (revIndex > 0) {
                g.subList(0, revIndex).clear();
            }
            if (g.size() == 1 && genIdx != generations.size() - 1) {
                keep.remove(g.get(0)); // a lone tombstone
                genIdx++;
            }
        }
        generations.subList(0, genIdx).clear();
    }

    private List<Revision> live() {
        return generations.get(generations.size() - 1);
    }

    /** True when no revision is left: the key can leave the index. */
    synchronized boolean isEmpty() {
        return generations.size() == 1 && generations.get(0).isEmpty();
    }
}
