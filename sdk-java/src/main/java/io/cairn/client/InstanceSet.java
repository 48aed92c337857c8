package io.cairn.client;

import io.cairn.client.discovery.InstanceChange;
import io.cairn.client.discovery.ServiceInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscriber's copy of a service's instances, and the revision it is current to. It turns
 * what the server sends into changes that a listener can apply one by one to reach the same
 * list, each change once:
 * <ul>
 *   <li>a full list (the first answer, or one sent again after a compaction) is compared with
 *       the copy: an instance the copy lacks is ADDED, one that differs UPDATED, one the list
 *       lacks REMOVED, one that is the same nothing;</li>
 *   <li>changes at or below the revision already held were applied before (a resumed stream that
 *       overlaps) and are dropped;</li>
 *   <li>a change is reported as what it does to the copy: an ADDED of an instance already held
 *       is an UPDATED, an UPDATED of one not held an ADDED, a REMOVED of one not held nothing.</li>
 * </ul>
 * For example, holding {a, b} at revision 7, the full list {b', c} at revision 9 gives
 * UPDATED b' and ADDED c at their own revisions (8, say), then REMOVED a at 9: the changes of a
 * full list come in revision order, a removal (whose revision the list does not tell) at the
 * list's.
 *
 * <p>Not thread-safe: its owner serialises access.
 */
final class InstanceSet {
    private final TreeMap<String, ServiceInstance> byId = new TreeMap<>();
    private long revision;
    private boolean listed;

    /** The instances held, in id order. */
    List<ServiceInstance> instances() {
        return List.copyOf(byId.values());
    }

    /** The revision everything held is current to; 0 before the first full list. */
    long revision() {
        return revision;
    }

    /** Whether a full list has arrived. */
    boolean listed() {
        return listed;
    }

    /**
     * Replaces the copy with a full list at {@code atRevision}; answers the changes that turn
     * the old copy into it. A list older than the copy is ignored: the changes after it, which
     * follow, are dropped up to the copy's revision too, so the copy stays right.
     */
    List<InstanceChange> replace(List<ServiceInstance> snapshot, long atRevision) {
        if (listed && atRevision < revision) {
            return List.of();
        }
        Map<String, ServiceInstance> next = new TreeMap<>();
        snapshot.forEach(i -> next.put(i.id(), i));
        List<InstanceChange> changes = new ArrayList<>();
        for (ServiceInstance old : byId.values()) {
            if (!next.containsKey(old.id())) {
                changes.add(new InstanceChange(InstanceChange.Type.REMOVED, old, atRevision));
            }
        }
        for (ServiceInstance now : next.values()) {
            ServiceInstance old = byId.get(now.id());
            if (old == null) {
                changes.add(new InstanceChange(InstanceChange.Type.ADDED, now, now.revision()));
            } else if (!old.equals(now)) {
                changes.add(new InstanceChange(InstanceChange.Type.UPDATED, now, now.revision()));
            }
        }
        changes.sort(Comparator.comparingLong(InstanceChange::revision));
        byId.clear();
        byId.putAll(next);
        revision = atRevision;
        listed = true;
        return changes;
    }

    /**
     * Applies changes the server sent, complete up to {@code upTo}; answers them as they changed
     * the copy. Several changes may share a revision (one transaction, one lease's expiry), so
     * a change is new when its revision is above the revision held before this call.
     */
    List<InstanceChange> apply(List<InstanceChange> received, long upTo) {
        long before = revision;
        List<InstanceChange> applied = new ArrayList<>();
        for (InstanceChange c : received) {
            if (c.revision() <= before) {
                continue;
            }
            ServiceInstance i = c.instance();
            ServiceInstance old = byId.get(i.id());
            if (c.type() == InstanceChange.Type.REMOVED) {
                if (old != null) {
                    byId.remove(i.id());
                    applied.add(c);
                }
            } else {
                byId.put(i.id(), i);
                InstanceChange.Type type = old == null ? InstanceChange.Type.ADDED : InstanceChange.Type.UPDATED;
                applied.add(type == c.type() ? c : new InstanceChange(type, i, c.revision()));
            }
            revision = Math.max(revision, c.revision());
        }
        revision = Math.max(revision, upTo);
        return applied;
    }

    /** The copy as changes from nothing, for a listener that joins a subscription under way. */
    List<InstanceChange> asAdded() {
        return byId.values().stream().map(i -> new InstanceChange(InstanceChange.Type.ADDED, i, i.revision())).toList();
    }
}
